// ./polyglot load: an open-loop load on the running stack (sign-ups at a constant arrival rate,
// orders for the users whose welcome order was seen), every chain followed on the topics to its
// end; prints the latency, CPU and memory table, --json for scripts, and writes an HTML report.
// --find-max steps the rate up on a fixed schedule and names the highest rate that holds.
import { parseArgs } from "node:util";
import pc from "picocolors";
import type { Context } from "../context.js";
import type { Command } from "./command.js";
import { endToEndBaseline, type Baseline } from "../load/baseline.js";
import { findMax, findMaxSchedule, scheduleText, type FindMaxResult, type FindMaxSchedule } from "../load/find-max.js";
import { defaultReportDir, writeReport } from "../load/html-report.js";
import { checkLoadOptions, type LoadOptions } from "../load/options.js";
import { progressLine } from "../load/progress-line.js";
import { renderTerminal } from "../load/render-terminal.js";
import { summaryOf, type LoadResult } from "../load/result.js";
import { runLoad, type LoadTarget } from "../load/run-load.js";
import { loadTarget } from "../load/target.js";
import { UsageError } from "../usage-error.js";

const help = `Usage: ./polyglot load [--rate R] [--duration D] [--orders-per-signup X] [--drain S] [--json] [--report DIR]
       ./polyglot load --find-max [--slo-p99 1s] [--orders-per-signup X] [--json]

Sends sign-ups to the running stack at a constant arrival rate (open loop: request i goes at
start + i/R whatever happened to the ones before; late sends are counted, never skipped), and
orders for users of the run once their welcome order was seen. Every chain is followed on the
topics to its end (welcome order shipped, its e-mails sent, and the AnalyticsUpdate of the last
e-mail published). Prints HTTP, chain and per-hop latency (p50/p90/p99/p99.9/max), achieved rate,
errors by kind, incomplete chains, peak consumer lag, CPU-ms per complete chain and peak RSS per
component, next to Kafka's own EndToEndLatency on the same broker; writes an HTML report.

  --rate R                sign-ups per second (default 5)
  --duration D            how long to send: 20, 20s, 2m (default 20s)
  --orders-per-signup X   orders per user, 0 to 10, fractions spread over the users (default 0)
  --drain S               how long to wait for the chains after the last send (default 30s)
  --json                  one JSON object on stdout instead of the table
  --report DIR            where the HTML report goes (default .polyglot/reports/<time>/)
  --find-max              step the rate up on a fixed schedule; report the highest rate at which
                          every chain completes within the drain and the chain p99 is under --slo-p99
  --slo-p99 T             the chain p99 a --find-max step must stay under (default 1s)

Ctrl-C stops the sending, drains for up to 5 s and prints what it has. Exit 0 when every chain
completed, 1 when some did not (or a request failed), 2 on bad usage or a stack that is not up.`;

const valued = new Set(["--rate", "--duration", "--orders-per-signup", "--drain", "--report", "--slo-p99"]);

/** `--rate -1` as `--rate=-1`: parseArgs takes a value starting with a dash for an option, and the check below should say what is wrong with the number. */
function joinNegatives(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const next = args[i + 1];
    if (valued.has(a) && next !== undefined && /^-\d/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

function parse(args: string[]) {
  try {
    return parseArgs({
      args: joinNegatives(args),
      strict: true,
    options: {
      rate: { type: "string" },
      duration: { type: "string" },
      "orders-per-signup": { type: "string" },
      drain: { type: "string" },
      json: { type: "boolean" },
      report: { type: "string" },
      "find-max": { type: "boolean" },
      "slo-p99": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  } catch (error: unknown) {
    // An unknown option or a missing value: bad usage (exit 2), in one line.
    throw new UsageError(`${(error instanceof Error ? error.message : String(error)).split(/\n|\. /)[0]} (./polyglot load --help lists the options)`);
  }
}

export function parseLoadArgs(args: string[]): LoadOptions | "help" {
  const { values } = parse(args);
  if (values.help) return "help";
  if (values["find-max"] && (values.rate !== undefined || values.duration !== undefined || values.drain !== undefined)) {
    throw new UsageError("--find-max runs its own fixed schedule of rates: leave out --rate, --duration and --drain");
  }
  return checkLoadOptions(values);
}

/** Ctrl-C as an AbortSignal for as long as `body` runs; a second Ctrl-C ends the process. */
export async function withInterrupt<T>(body: (signal: AbortSignal) => Promise<T>, onFirst: () => void): Promise<T> {
  const controller = new AbortController();
  const onSignal = (): void => {
    if (controller.signal.aborted) process.exit(130);
    onFirst();
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    return await body(controller.signal);
  } finally {
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
  }
}

/** The EndToEndLatency floor, or undefined (with a note) when the tool could not run. */
export async function baselineOrNote(ctx: Context, target: LoadTarget, note: (line: string) => void): Promise<Baseline | undefined> {
  try {
    return await endToEndBaseline(ctx, target.bootstrap);
  } catch (error: unknown) {
    note(`no EndToEndLatency floor: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

/** One run with its report written; the terminal side (progress, notes) goes to stderr. */
export async function loadOnce(ctx: Context, target: LoadTarget, o: Pick<LoadOptions, "rate" | "durationS" | "ordersPerSignup" | "drainS" | "reportDir">, signal: AbortSignal, baseline?: Baseline): Promise<LoadResult> {
  const progress = progressLine(process.stderr, ctx.ci);
  let result: LoadResult;
  try {
    result = await runLoad(target, { rate: o.rate, durationS: o.durationS, ordersPerSignup: o.ordersPerSignup, drainS: o.drainS, signal, progress: (l) => progress.update(l), ...(baseline === undefined ? {} : { baseline }) });
  } finally {
    progress.done();
  }
  const report = await writeReport(o.reportDir ?? defaultReportDir(ctx.stateDir, new Date(result.started_at)), result);
  return { ...result, report };
}

export function findMaxLines(f: FindMaxResult): string[] {
  const lines = f.steps.map((s) => `  ${String(s.rate).padStart(4)}/s  ${s.ok ? pc.green("pass") : pc.red("fail")}  achieved ${s.result.achieved_rate}/s, completed ${s.result.completed}/${s.result.accepted}, chain p50 ${s.result.chain_ms.p50} ms p99 ${s.result.chain_ms.p99} ms${s.ok ? "" : ` (${s.why})`}`);
  lines.push(pc.bold(`highest rate that holds: ${f.max_rate} sign-ups/s (chain p99 under ${f.slo_p99_ms} ms, every chain complete)`));
  return lines;
}

export async function runFindMax(
  ctx: Context,
  target: LoadTarget,
  o: Pick<LoadOptions, "ordersPerSignup" | "sloP99Ms" | "reportDir">,
  signal: AbortSignal,
  note: (line: string) => void,
  schedule: FindMaxSchedule = findMaxSchedule,
): Promise<FindMaxResult> {
  note(scheduleText(o.sloP99Ms, schedule));
  return findMax(
    (rate) => {
      note(`step ${rate}/s...`);
      return loadOnce(ctx, target, { rate, durationS: schedule.stepDurationS, ordersPerSignup: o.ordersPerSignup, drainS: schedule.stepDrainS, ...(o.reportDir === undefined ? {} : { reportDir: `${o.reportDir}/${rate}` }) }, signal);
    },
    o.sloP99Ms,
    (v) => note(`  ${v.rate}/s: ${v.ok ? "pass" : `fail (${v.why})`}; report ${v.result.report ?? ""}`),
    schedule,
  );
}

export const load: Command = {
  summary: "open-loop load on the running stack: latency of every chain, CPU and memory per component, an HTML report",
  async run(args, ctx) {
    const o = parseLoadArgs(args);
    if (o === "help") {
      console.log(help);
      return 0;
    }
    const target = await loadTarget(ctx);
    const note = (line: string): void => console.error(pc.dim(line));
    return withInterrupt(
      async (signal) => {
        if (o.findMax) {
          const f = await runFindMax(ctx, target, o, signal, note);
          if (o.json) console.log(JSON.stringify({ slo_p99_ms: f.slo_p99_ms, max_rate: f.max_rate, interrupted: f.interrupted, steps: f.steps.map((s) => ({ ok: s.ok, why: s.why, ...summaryOf(s.result) })) }, null, 2));
          else console.log(findMaxLines(f).join("\n"));
          return f.interrupted ? 1 : 0;
        }
        note("measuring the floor: Kafka's EndToEndLatency on a throw-away topic (about 10 s)...");
        const baseline = await baselineOrNote(ctx, target, note);
        if (signal.aborted) return 1;
        note(`sending ${o.rate} sign-ups/s for ${o.durationS} s${o.ordersPerSignup > 0 ? `, ${o.ordersPerSignup} order(s) per sign-up` : ""}; Ctrl-C stops early`);
        const result = await loadOnce(ctx, target, o, signal, baseline);
        console.log(o.json ? JSON.stringify(summaryOf(result), null, 2) : renderTerminal(result));
        const failed = result.incomplete + result.orders.incomplete + Object.values(result.errors).reduce((a, b) => a + b, 0);
        return failed > 0 || result.interrupted ? 1 : 0;
      },
      () => console.error(pc.yellow("\nCtrl-C: sending stopped, draining for up to 5 s (Ctrl-C again to quit at once)...")),
    );
  },
};
