import type { Context } from "../context.js";

/** What a suite run left behind: its exit code and the JUnit XML reports it wrote. */
export interface SuiteRun {
  readonly exitCode: number;
  readonly reports: readonly string[];
}

/**
 * One test suite inside `./polyglot test`. A suite runs its language's own runner and writes
 * JUnit XML into `reportDir`, which the test command sums into the closing line.
 */
export interface Suite {
  readonly name: string;
  readonly summary: string;
  run(ctx: Context, reportDir: string): Promise<SuiteRun>;
}
