// The analytics-service suite: installs its npm packages from its lock file, type-checks the
// service and its dashboard, then runs its vitest tests.
import path from "node:path";
import { execa } from "execa";
import type { Suite } from "./suite.js";
import { vitestSuite } from "./vitest-suite.js";
import { analyticsDir, buildNeeded, markBuilt, npmInstallNeeded } from "../stack/components/analytics-service.js";
import { tcpAccepts } from "../stack/probes.js";
import { createStackEnv } from "../stack/stack-env.js";
import { startStack } from "../stack/start.js";
import { stopStack } from "../stack/stop.js";

/** `npm ci` when node_modules is missing or was installed from an older lock. */
export async function installAnalyticsPackages(root: string, log: (line: string) => void): Promise<void> {
  const dir = path.join(root, analyticsDir);
  if (!npmInstallNeeded(dir)) return;
  log("installing analytics-service's npm packages (npm ci)...");
  await execa("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir, stdio: "inherit" });
}

const tests = vitestSuite({ name: "analytics", summary: "analytics-service unit tests (vitest)", dir: analyticsDir });

export const analyticsSuite: Suite = {
  name: tests.name,
  summary: "analytics-service: type check, unit tests (vitest)",
  async run(ctx, reportDir) {
    await installAnalyticsPackages(ctx.root, (line) => console.log(line));
    const cwd = path.join(ctx.root, analyticsDir);
    // vitest strips types without checking them; tsc catches what it would let through.
    const typecheck = await execa("npm", ["run", "--silent", "typecheck"], { cwd, stdio: "inherit", reject: false });
    const run = await tests.run(ctx, reportDir);
    return { exitCode: typecheck.exitCode === 0 ? run.exitCode : 1, reports: run.reports };
  },
};

const brokerTests = vitestSuite({
  name: "analytics-broker",
  summary: "analytics-service on the real broker (vitest)",
  dir: analyticsDir,
  args: ["--config", "vitest.integration.config.ts"],
});

/**
 * The built service against a real broker: the one already listening on 127.0.0.1:9092 (a
 * running stack, this repository's or another's), else one this suite starts and stops again.
 */
export const analyticsBrokerSuite: Suite = {
  name: brokerTests.name,
  summary: brokerTests.summary,
  async run(ctx, reportDir) {
    await installAnalyticsPackages(ctx.root, (line) => console.log(line));
    const cwd = path.join(ctx.root, analyticsDir);
    if (buildNeeded(cwd)) {
      console.log("building analytics-service (npm run build)...");
      await execa("npm", ["run", "build"], { cwd, stdio: "inherit" });
      await markBuilt(cwd);
    }
    const port = createStackEnv(1, process.env).port("KAFKA_PORT", 9092);
    let started: readonly string[] = [];
    if (!(await tcpAccepts(port))) {
      console.log(`no broker on 127.0.0.1:${port}: starting one for this suite`);
      const outcome = await startStack(ctx, { brokers: 1, vars: process.env, scope: "broker" });
      if (outcome.kind === "started") started = outcome.started;
    }
    try {
      return await brokerTests.run(ctx, reportDir);
    } finally {
      if (started.length > 0) await stopStack(ctx, started);
    }
  },
};
