// The suites of analytics-service. Both install its npm packages from its lock file first, so
// they run on a fresh clone.
//   analytics         - type check of the service and its dashboard, then the unit tests (vitest)
//   analytics-broker  - the built service on the real broker: records with the contract's headers
//                       in, counts, chains and DLQ records out, a restart; and the dashboard in
//                       headless Chromium (Debian's, installed on first use), screenshots kept (vitest)
//   analytics-stack   - the dashboard on the whole stack in headless Chromium: sign-up and order
//                       through its admin forms, counters and chains live (vitest, needs: "stack")
import { existsSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import { analyticsDir, buildNeeded, markBuilt } from "../stack/components/analytics-service.js";
import type { Suite, SuiteRun } from "./suite.js";
import { needsInstall, vitestSuite } from "./vitest-suite.js";

/** npm ci when the lock changed; false when it failed (its output says why). */
async function install(cwd: string): Promise<boolean> {
  if (!needsInstall(cwd)) return true;
  console.log(`installing the npm dependencies of ${analyticsDir}/ (npm ci)...`);
  const { exitCode } = await execa("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { cwd, stdio: "inherit", reject: false });
  return exitCode === 0;
}

const chromiumPath = "/usr/bin/chromium";

/** Debian's `chromium` for the browser test, installed when missing (as root, like Prometheus). */
async function ensureChromium(): Promise<boolean> {
  if (existsSync(chromiumPath)) return true;
  const manual = "apt-get update && apt-get install -y --no-install-recommends chromium";
  if (!existsSync("/usr/bin/apt-get") || process.getuid?.() !== 0) {
    console.error(`Chromium is missing at ${chromiumPath}: run as root '${manual}', then run the tests again.`);
    return false;
  }
  console.log("installing Chromium from Debian's packages for the dashboard's browser test (first run only)...");
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [["update", "-q"], ["install", "-y", "-q", "--no-install-recommends", "chromium"]]) {
    const { exitCode } = await execa("apt-get", args, { stdio: "inherit", reject: false, env });
    if (exitCode !== 0) {
      console.error(`apt-get ${args[0]} failed: check that Debian's package mirror is reachable, or run '${manual}' yourself.`);
      return false;
    }
  }
  return existsSync(chromiumPath);
}

const unit = vitestSuite({ name: "analytics", summary: "analytics-service: type check, unit tests (vitest)", dir: analyticsDir });

export const analyticsSuite: Suite = {
  name: unit.name,
  summary: unit.summary,
  async run(ctx, reportDir) {
    const cwd = path.join(ctx.root, analyticsDir);
    if (!(await install(cwd))) return { exitCode: 1, reports: [] };
    // vitest strips types without checking them; tsc catches what it would let through.
    const typecheck = await execa("npm", ["run", "--silent", "typecheck"], { cwd, stdio: "inherit", reject: false });
    const run = await unit.run(ctx, reportDir);
    return { exitCode: typecheck.exitCode === 0 ? run.exitCode : 1, reports: run.reports };
  },
};

const onBroker = vitestSuite({
  name: "analytics-broker",
  summary: "analytics-service on the real broker: counts, chains, DLQ records, a restart; the dashboard in Chromium (vitest)",
  dir: analyticsDir,
  args: ["--config", "vitest.integration.config.ts"],
  needs: "broker",
});

/** Runs `suite` with the browser test's screenshots going with the suite's report. */
async function withScreenshots(reportDir: string, run: () => Promise<SuiteRun>): Promise<SuiteRun> {
  const saved = process.env["ANALYTICS_SCREENSHOT_DIR"];
  process.env["ANALYTICS_SCREENSHOT_DIR"] = path.join(reportDir, "screenshots");
  try {
    return await run();
  } finally {
    if (saved === undefined) delete process.env["ANALYTICS_SCREENSHOT_DIR"];
    else process.env["ANALYTICS_SCREENSHOT_DIR"] = saved;
  }
}

export const analyticsBrokerSuite: Suite = {
  name: onBroker.name,
  summary: onBroker.summary,
  needs: "broker",
  async run(ctx, reportDir) {
    const cwd = path.join(ctx.root, analyticsDir);
    if (!(await install(cwd))) return { exitCode: 1, reports: [] };
    // The tests start dist/main.js, as the stack does.
    if (buildNeeded(cwd)) {
      console.log(`building ${analyticsDir} (npm run build)...`);
      const build = await execa("npm", ["run", "build"], { cwd, stdio: "inherit", reject: false });
      if (build.exitCode !== 0) return { exitCode: 1, reports: [] };
      await markBuilt(cwd);
    }
    if (!(await ensureChromium())) return { exitCode: 1, reports: [] };
    return withScreenshots(reportDir, () => onBroker.run(ctx, reportDir));
  },
};

const onStack = vitestSuite({
  name: "analytics-stack",
  summary: "the dashboard on the whole stack in Chromium: sign-up and order through its forms, counters and chains live (vitest)",
  dir: analyticsDir,
  args: ["--config", "vitest.stack.config.ts"],
  needs: "stack",
});

/** The stack's own start built and started the service; the test drives only the browser. */
export const analyticsStackSuite: Suite = {
  name: onStack.name,
  summary: onStack.summary,
  needs: "stack",
  async run(ctx, reportDir) {
    if (!(await install(path.join(ctx.root, analyticsDir)))) return { exitCode: 1, reports: [] };
    if (!(await ensureChromium())) return { exitCode: 1, reports: [] };
    return withScreenshots(reportDir, () => onStack.run(ctx, reportDir));
  },
};
