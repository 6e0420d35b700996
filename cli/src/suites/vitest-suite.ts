// A suite that runs vitest in one package of the repository.
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { execa } from "execa";
import type { SuiteNeeds } from "../stack/test-stack.js";
import type { Suite } from "./suite.js";

export interface VitestSuiteOptions {
  readonly name: string;
  readonly summary: string;
  /** The package folder, relative to the repository root. */
  readonly dir: string;
  /** Extra vitest arguments, such as a project or a folder filter. */
  readonly args?: readonly string[];
  /** What must run while it runs (see Suite.needs). */
  readonly needs?: SuiteNeeds;
  /** Commands its tests run (e.g. `./polyglot load ...`), declared so README.md may show them. */
  readonly runs?: readonly string[];
}

/** True when `npm ci` must run: no node_modules, or a package-lock.json newer than the install. */
export function needsInstall(dir: string): boolean {
  const installed = path.join(dir, "node_modules", ".package-lock.json");
  if (!existsSync(installed)) return true;
  return statSync(path.join(dir, "package-lock.json")).mtimeMs > statSync(installed).mtimeMs;
}

export function vitestSuite(options: VitestSuiteOptions): Suite {
  return {
    name: options.name,
    summary: options.summary,
    ...(options.needs === undefined ? {} : { needs: options.needs }),
    commands: [["cd", options.dir, "&&", "npx", "vitest", "run", ...(options.args ?? [])].join(" "), ...(options.runs ?? [])],
    async run(ctx, reportDir) {
      const report = path.join(reportDir, "junit.xml");
      const cwd = path.join(ctx.root, options.dir);
      if (needsInstall(cwd)) {
        console.log(`installing the npm dependencies of ${options.dir}/ (npm ci)...`);
        const install = await execa("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { cwd, stdio: "inherit", reject: false });
        if (install.exitCode !== 0) {
          console.error(`npm ci failed in ${options.dir}/: read the error above, then run ./polyglot test again.`);
          return { exitCode: install.exitCode ?? 1, reports: [] };
        }
      }
      const { exitCode } = await execa(
        "npx",
        ["--no-install", "vitest", "run", "--reporter=default", "--reporter=junit", `--outputFile.junit=${report}`, ...(options.args ?? [])],
        { cwd, stdio: "inherit", reject: false, env: { FORCE_COLOR: ctx.ci ? "0" : "1" } },
      );
      return { exitCode: exitCode ?? 1, reports: [report] };
    },
  };
}
