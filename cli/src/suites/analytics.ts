// The analytics-service suite: installs its npm packages from its lock file, type-checks the
// service and its dashboard, then runs its vitest tests.
import path from "node:path";
import { execa } from "execa";
import type { Suite } from "./suite.js";
import { vitestSuite } from "./vitest-suite.js";
import { analyticsDir, npmInstallNeeded } from "../stack/components/analytics-service.js";

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
