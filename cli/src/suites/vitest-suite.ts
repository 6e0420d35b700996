// A suite that runs vitest in one package of the repository.
import path from "node:path";
import { execa } from "execa";
import type { Suite } from "./suite.js";

export interface VitestSuiteOptions {
  readonly name: string;
  readonly summary: string;
  /** The package folder, relative to the repository root. */
  readonly dir: string;
  /** Extra vitest arguments, such as a project or a folder filter. */
  readonly args?: readonly string[];
}

export function vitestSuite(options: VitestSuiteOptions): Suite {
  return {
    name: options.name,
    summary: options.summary,
    async run(ctx, reportDir) {
      const report = path.join(reportDir, "junit.xml");
      const { exitCode } = await execa(
        "npx",
        ["--no-install", "vitest", "run", "--reporter=default", "--reporter=junit", `--outputFile.junit=${report}`, ...(options.args ?? [])],
        { cwd: path.join(ctx.root, options.dir), stdio: "inherit", reject: false, env: { FORCE_COLOR: ctx.ci ? "0" : "1" } },
      );
      return { exitCode: exitCode ?? 1, reports: [report] };
    },
  };
}
