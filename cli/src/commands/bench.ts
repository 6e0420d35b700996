// ./polyglot bench: the project's published figures. On the running stack: `load` at 5/s (idle
// latency) and at 20/s, `load --find-max` three times (the median of the highest rates, so that
// before/after figures compare), then the serialization table; writes docs/benchmarks.md with
// the date, machine, commit and the command behind every figure. It asserts nothing.
import path from "node:path";
import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import pc from "picocolors";
import type { Command } from "./command.js";
import { renderBenchmarksDoc, median, type LoadFigure } from "../bench/benchmarks-doc.js";
import { renderSerializationMarkdown, renderSerializationTable, runSerializationBench } from "../bench/serialization.js";
import { languages as encodingLanguages } from "../bench/serialization-result.js";
import { commitOf, machine } from "../bench/machine.js";
import type { Context } from "../context.js";
import { findMaxSchedule, maxStep, type FindMaxResult, type FindMaxSchedule } from "../load/find-max.js";
import { waitQuiet } from "../load/quiet.js";
import { loadTarget } from "../load/target.js";
import { printFailure } from "../stack/report.js";
import { UsageError } from "../usage-error.js";
import { baselineOrNote, findMaxLines, loadOnce, runFindMax, withInterrupt } from "./load.js";

const help = `Usage: ./polyglot bench [--out FILE] [--brief]
       ./polyglot bench serialization [--quick] [--language java|go|python|typescript]... [--json]

On the running stack (./polyglot up first), in about 10 minutes on 2 cores:
  1. Kafka's EndToEndLatency on a throw-away topic (the one-hop floor)
  2. ./polyglot load --rate 5 --duration 20        idle latency, CPU-ms per chain
  3. ./polyglot load --rate 20 --duration 20 --drain 60
  4. ./polyglot load --find-max --slo-p99 1s       three times; the median of the highest rates
  5. ./polyglot bench serialization                protobuf vs JSON vs Avro in each language
then writes docs/benchmarks.md (date, machine, commit, every figure and its command). The lag
of the services' groups is let drain between runs. Figures are printed and recorded, never asserted.

  --out FILE   write the Markdown there instead of docs/benchmarks.md
  serialization  only the serialization table, printed (--quick: a build check whose figures
                 mean nothing; --language: only these; --json: the result as JSON on stdout)
  --brief      a smoke run of every step at its smallest (seconds per step, one search of two
               steps, no serialization), written to .polyglot/reports/bench-brief.md unless --out
               says otherwise: it proves the command works, its figures mean nothing`;

interface Plan {
  readonly idle: { rate: number; durationS: number; drainS: number };
  readonly reference?: { rate: number; durationS: number; drainS: number };
  readonly searches: number;
  readonly schedule: FindMaxSchedule;
  readonly serialization: boolean;
}

const fullPlan: Plan = {
  idle: { rate: 5, durationS: 20, drainS: 30 },
  reference: { rate: 20, durationS: 20, drainS: 60 },
  searches: 3,
  schedule: findMaxSchedule,
  serialization: true,
};

const briefPlan: Plan = {
  idle: { rate: 5, durationS: 2, drainS: 60 },
  searches: 1,
  schedule: { rates: [2, 5], stepDurationS: 2, stepDrainS: 60 },
  serialization: false,
};

const loadCommand = (p: { rate: number; durationS: number; drainS: number }): string => `./polyglot load --rate ${p.rate} --duration ${p.durationS} --drain ${p.drainS}`;

function usageError(error: unknown): UsageError {
  return new UsageError(`${(error instanceof Error ? error.message : String(error)).split(/\n|\. /)[0]} (./polyglot bench --help lists the options)`);
}

/** `bench serialization`: the table alone, printed (the whole bench puts it in docs/benchmarks.md). */
async function serializationOnly(ctx: Context, args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args, strict: true, options: { quick: { type: "boolean" }, language: { type: "string", multiple: true }, json: { type: "boolean" } } }));
  } catch (error: unknown) {
    throw usageError(error);
  }
  const chosen = values.language ?? [...encodingLanguages];
  const unknown = chosen.filter((l) => !(encodingLanguages as readonly string[]).includes(l));
  if (unknown.length > 0) throw new UsageError(`unknown language ${unknown.join(", ")}: choose from ${encodingLanguages.join(", ")}`);
  try {
    const result = await runSerializationBench(ctx, (line) => console.error(pc.dim(line)), { quick: values.quick ?? false, languages: chosen as (typeof encodingLanguages)[number][] });
    console.log(values.json ? JSON.stringify(result, null, 2) : renderSerializationTable(result));
    return 0;
  } catch (error: unknown) {
    await printFailure(error, ctx.root);
    return 1;
  }
}

export const bench: Command = {
  summary: "the published figures: load at 5/s and 20/s, find-max three times, serialization; writes docs/benchmarks.md",
  async run(args, ctx) {
    if (args.includes("--help") || args.includes("-h")) {
      console.log(help);
      return 0;
    }
    if (args[0] === "serialization") return serializationOnly(ctx, args.slice(1));
    let parsed;
    try {
      parsed = parseArgs({ args, strict: true, allowPositionals: true, options: { out: { type: "string" }, brief: { type: "boolean" } } });
    } catch (error: unknown) {
      throw usageError(error);
    }
    const { values, positionals } = parsed;
    if (positionals.length > 0) throw new UsageError(`bench takes no argument or 'serialization', not ${positionals.join(" ")}`);

    const plan = values.brief ? briefPlan : fullPlan;
    const out = values.out ?? (values.brief ? path.join(ctx.stateDir, "reports", "bench-brief.md") : path.join(ctx.root, "docs", "benchmarks.md"));
    const target = await loadTarget(ctx, "./polyglot bench");
    const note = (line: string): void => console.error(pc.dim(line));
    const started = performance.now();
    const date = new Date().toISOString();
    const host = machine();
    const commit = await commitOf(ctx.root);
    const quiet = async (signal: AbortSignal): Promise<void> => {
      const waited = await waitQuiet(target.bootstrap, 180_000, signal);
      note(waited === undefined ? "the services' lag did not drain within 180 s; going on" : `lag drained (${waited} s)`);
    };

    return withInterrupt(
      async (signal) => {
        note(pc.bold(`bench: ${values.brief ? "a brief smoke run" : "about 10 minutes"}; figures go to ${path.relative(process.cwd(), out) || out}`));
        note("1. the floor: Kafka's EndToEndLatency on a throw-away topic...");
        const baseline = await baselineOrNote(ctx, target, note);
        await quiet(signal);
        note(`2. ${loadCommand(plan.idle)}`);
        const idle: LoadFigure = { command: loadCommand(plan.idle), result: await loadOnce(ctx, target, { ...plan.idle, ordersPerSignup: 0 }, signal, baseline) };
        note(`   chain p50 ${idle.result.chain_ms.p50} ms, p99 ${idle.result.chain_ms.p99} ms; report ${idle.result.report ?? ""}`);
        let reference: LoadFigure | undefined;
        if (plan.reference !== undefined && !signal.aborted) {
          await quiet(signal);
          note(`3. ${loadCommand(plan.reference)}`);
          reference = { command: loadCommand(plan.reference), result: await loadOnce(ctx, target, { ...plan.reference, ordersPerSignup: 0 }, signal, baseline) };
          note(`   completed ${reference.result.completed}/${reference.result.accepted}, chain p50 ${reference.result.chain_ms.p50} ms, p99 ${reference.result.chain_ms.p99} ms; report ${reference.result.report ?? ""}`);
        }
        const searches: FindMaxResult[] = [];
        for (let i = 1; i <= plan.searches && !signal.aborted; i++) {
          await quiet(signal);
          note(`4. ./polyglot load --find-max --slo-p99 1s, search ${i} of ${plan.searches}`);
          const f = await runFindMax(ctx, target, { ordersPerSignup: 0, sloP99Ms: 1_000 }, signal, note, plan.schedule);
          searches.push(f);
          note(`   highest rate that holds: ${f.max_rate}/s`);
        }
        const medianMaxRate = median(searches.map((s) => s.max_rate));
        const atMax = searches.map(maxStep).find((s) => s?.rate === medianMaxRate)?.result;
        let serialization = "Not run: `./polyglot bench --brief` skips it (`./polyglot bench serialization` runs it alone).";
        if (plan.serialization && !signal.aborted) {
          note("5. ./polyglot bench serialization");
          try {
            serialization = renderSerializationMarkdown(await runSerializationBench(ctx, note));
          } catch (error: unknown) {
            serialization = `Not run: it failed (${error instanceof Error ? error.message : String(error)}).`;
          }
        }
        if (signal.aborted) {
          console.error(pc.yellow(`bench interrupted: ${out} left as it was`));
          return 1;
        }
        const doc = renderBenchmarksDoc({
          date,
          machine: host,
          commit,
          command: values.brief ? "./polyglot bench --brief" : "./polyglot bench",
          wallS: (performance.now() - started) / 1000,
          idle,
          ...(reference === undefined ? {} : { reference }),
          searches,
          findMaxCommand: values.brief ? `./polyglot load --find-max (brief schedule: ${plan.schedule.rates.join(", ")}/s, ${plan.schedule.stepDurationS} s each)` : "./polyglot load --find-max --slo-p99 1s",
          medianMaxRate,
          ...(atMax === undefined ? {} : { atMax }),
          serialization,
        });
        await writeFile(out, doc);
        for (const [i, f] of searches.entries()) console.log([`find-max search ${i + 1}:`, ...findMaxLines(f)].join("\n"));
        console.log(pc.bold(`median of the highest rates: ${medianMaxRate} sign-ups/s`));
        console.log(`idle (${idle.result.rate}/s): chain p50 ${idle.result.chain_ms.p50} ms, p99 ${idle.result.chain_ms.p99} ms`);
        if (reference !== undefined) console.log(`${reference.result.rate}/s: completed ${reference.result.completed}/${reference.result.accepted}, chain p50 ${reference.result.chain_ms.p50} ms, p99 ${reference.result.chain_ms.p99} ms`);
        console.log(`wrote ${out}${values.brief ? "" : ": commit it, it is the project's published result"}`);
        return 0;
      },
      () => console.error(pc.yellow("\nCtrl-C: stopping after the current run's brief drain (Ctrl-C again to quit at once)...")),
    );
  },
};
