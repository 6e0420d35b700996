// ./polyglot test: runs every suite, sums their JUnit reports and ends with the one line
// `N passed, N failed` that CI reads.
import { existsSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import pc from "picocolors";
import type { Command } from "./command.js";
import { suites } from "../suites/index.js";
import type { Suite } from "../suites/suite.js";
import { summarizeReports, type ReportSummary } from "../testing/junit.js";
import { printFailure } from "../stack/report.js";
import { provideStack, type ProvidedStack, type SuiteNeeds } from "../stack/test-stack.js";
import { UsageError } from "../usage-error.js";

interface SuiteResult extends ReportSummary {
  readonly name: string;
  readonly seconds: number;
  readonly note?: string;
}

function select(names: readonly string[]): readonly Suite[] {
  if (names.length === 0) return suites;
  const unknown = names.filter((n) => !suites.some((s) => s.name === n));
  if (unknown.length > 0) {
    throw new UsageError(`unknown suite ${unknown.join(", ")}; known: ${suites.map((s) => s.name).join(", ")}`);
  }
  return suites.filter((s) => names.includes(s.name));
}

/** Turns a suite run into counts; a suite that failed without a failing case, or ran no test, counts as one failure. */
export function judge(exitCode: number, summary: ReportSummary): { summary: ReportSummary; note?: string } {
  const ran = summary.passed + summary.failed + summary.skipped;
  if (exitCode !== 0 && summary.failed === 0) {
    return { summary: { ...summary, failed: summary.failed + 1 }, note: `exited ${exitCode} without a failing test case (see its output above)` };
  }
  if (ran === 0) {
    return { summary: { ...summary, failed: 1 }, note: "ran no test" };
  }
  return { summary };
}

export const test: Command = {
  summary: "run every suite (unit, contract, end-to-end) and print `N passed, N failed`",
  async run(args, ctx) {
    const { values } = parseArgs({
      args,
      strict: true,
      options: {
        suite: { type: "string", multiple: true, short: "s" },
        list: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
    if (values.help) {
      console.log("Usage: ./polyglot test [--suite NAME]... [--list]\n\nRuns every suite, or only the named ones.");
      return 0;
    }
    if (values.list) {
      for (const s of suites) console.log(`${s.name.padEnd(24)} ${s.summary}`);
      return 0;
    }
    const chosen = select(values.suite ?? []);
    const results: SuiteResult[] = [];
    // Suites that need running processes get them here; consecutive suites with the same need share them.
    let provided: { needs: SuiteNeeds; stack: ProvidedStack } | undefined;
    const release = async (): Promise<void> => {
      const current = provided;
      provided = undefined;
      if (current === undefined) return;
      console.log(pc.dim(`━━ stopping what the tests started (${current.needs})`));
      await current.stack.release();
    };
    const onSignal = (): void => {
      void release().finally(() => process.exit(130));
    };
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    try {
      for (const suite of chosen) {
        console.log(pc.bold(`\n━━ suite ${suite.name}: ${suite.summary}`));
        if (provided !== undefined && provided.needs !== suite.needs) await release();
        if (suite.needs !== undefined && provided === undefined) {
          console.log(pc.dim(`━━ starting what it needs (${suite.needs})`));
          try {
            provided = { needs: suite.needs, stack: await provideStack(ctx, suite.needs) };
            console.log(pc.dim(`━━ using ${provided.stack.description}`));
          } catch (error: unknown) {
            await printFailure(error, ctx.root);
            results.push({ name: suite.name, seconds: 0, passed: 0, failed: 1, skipped: 0, failures: [], note: `could not start ${suite.needs}` });
            continue;
          }
        }
        const saved = Object.fromEntries(Object.keys(provided?.stack.vars ?? {}).map((k) => [k, process.env[k]]));
        Object.assign(process.env, provided?.stack.vars ?? {});
        const reportDir = path.join(ctx.stateDir, "test-results", suite.name);
        await rm(reportDir, { recursive: true, force: true });
        await mkdir(reportDir, { recursive: true });
        const started = performance.now();
        let exitCode: number;
        let reports: readonly string[] = [];
        try {
          ({ exitCode, reports } = await suite.run(ctx, reportDir));
        } catch (error: unknown) {
          console.error(pc.red(`suite ${suite.name} could not run: ${error instanceof Error ? error.message : String(error)}`));
          exitCode = 1;
        }
        const raw = await summarizeReports(reports.filter((r) => existsSync(r)));
        const { summary, note } = judge(exitCode, raw);
        const seconds = (performance.now() - started) / 1000;
        results.push({ name: suite.name, seconds, ...summary, ...(note === undefined ? {} : { note }) });
        for (const [k, v] of Object.entries(saved)) {
          if (v === undefined) delete process.env[k];
          else process.env[k] = v;
        }
      }
    } finally {
      await release();
      process.removeListener("SIGINT", onSignal);
      process.removeListener("SIGTERM", onSignal);
    }

    console.log(pc.bold("\n━━ summary"));
    for (const r of results) {
      const mark = r.failed === 0 ? pc.green("ok  ") : pc.red("FAIL");
      const skipped = r.skipped > 0 ? `, ${r.skipped} skipped` : "";
      console.log(`${mark} ${r.name.padEnd(24)} ${r.passed} passed, ${r.failed} failed${skipped}  (${r.seconds.toFixed(1)} s)${r.note ? `  ${r.note}` : ""}`);
      for (const f of r.failures.slice(0, 10)) console.log(`       ✗ ${f.suite} › ${f.name}`);
    }
    const passed = results.reduce((n, r) => n + r.passed, 0);
    const failed = results.reduce((n, r) => n + r.failed, 0);
    const skipped = results.reduce((n, r) => n + r.skipped, 0);
    if (failed > 0) console.log(pc.red("\nSome suites failed: scroll up to the first ✗, or rerun one with ./polyglot test --suite NAME."));
    console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`);
    return failed === 0 ? 0 : 1;
  },
};
