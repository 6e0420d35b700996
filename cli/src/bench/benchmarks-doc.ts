// docs/benchmarks.md, the project's published result: written whole by `./polyglot bench` from
// what it measured, with the date, the machine, the commit and the command behind every figure.
import type { FindMaxResult } from "../load/find-max.js";
import type { Percentiles } from "../load/percentiles.js";
import type { LoadResult } from "../load/result.js";
import type { Commit, Machine } from "./machine.js";

export interface LoadFigure {
  /** What a person types to get this figure alone. */
  readonly command: string;
  readonly result: LoadResult;
}

export interface BenchRecord {
  readonly date: string;
  readonly machine: Machine;
  readonly commit: Commit;
  readonly command: string;
  readonly wallS: number;
  readonly idle: LoadFigure;
  readonly reference?: LoadFigure;
  readonly searches: readonly FindMaxResult[];
  readonly findMaxCommand: string;
  /** The median of the searches' highest rates. */
  readonly medianMaxRate: number;
  /** The passing step at the median rate, for the CPU figures at that rate. */
  readonly atMax?: LoadResult;
  /** The serialization section, or why it is missing. */
  readonly serialization: string;
}

const ms = (n: number): string => (n >= 10_000 ? `${(n / 1000).toFixed(1)} s` : `${Math.round(n * 10) / 10} ms`);

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length === 0 ? 0 : sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function latencyRows(r: LoadResult): string[] {
  const row = (label: string, p: Percentiles): string => `| ${label} | ${p.count} | ${[p.p50, p.p90, p.p99, p.p999, p.max].map(ms).join(" | ")} |`;
  return [
    "| latency | count | p50 | p90 | p99 | p99.9 | max |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    row("HTTP", r.http_ms),
    row("sign-up chain (request → AnalyticsUpdate of its last e-mail)", r.chain_ms),
    ...Object.entries(r.hops).map(([h, p]) => row(`hop: ${h}`, p)),
  ];
}

function loadSection(title: string, f: LoadFigure): string[] {
  const r = f.result;
  const lines = [
    `### ${title}`,
    "",
    `\`${f.command}\`: sent ${r.sent} sign-ups (achieved ${r.achieved_rate}/s, ${r.late_sends} sends late by more than 5 ms), accepted ${r.accepted}, **completed ${r.completed}**, incomplete ${r.incomplete} after a drain of up to ${r.drain_s} s; errors: ${Object.entries(r.errors).map(([k, n]) => `${k} x${n}`).join(", ") || "none"}; peak lag: ${Object.entries(r.peak_lag).map(([g, l]) => `${g} ${l}`).join(", ")}.`,
    "",
    ...latencyRows(r),
    "",
  ];
  if (r.baseline !== undefined) {
    lines.push(`Floor: Kafka's \`EndToEndLatency\` on the same broker (${r.baseline.records} records, acks=all) averaged ${r.baseline.avg_ms} ms per hop (p50 ${r.baseline.p50_ms} ms, p99 ${r.baseline.p99_ms} ms); the sign-up chain's p50 is **${r.baseline.chain_p50_multiple} x** that floor times the 4 consumed hops of its critical path.`, "");
  }
  return lines;
}

function cpuTable(columns: readonly { label: string; r: LoadResult }[]): string[] {
  const names = [...new Set(columns.flatMap((c) => Object.keys(c.r.cpu_ms_per_chain)))].sort((a, b) => (columns[0]?.r.cpu_ms_per_chain[b] ?? 0) - (columns[0]?.r.cpu_ms_per_chain[a] ?? 0));
  const stack = (r: LoadResult): number => Math.round(Object.entries(r.cpu_ms_per_chain).filter(([n]) => n !== "load generator").reduce((a, [, v]) => a + v, 0) * 10) / 10;
  return [
    `| component | ${columns.map((c) => `CPU ms per chain, ${c.label}`).join(" | ")} | ${columns.map((c) => `peak RSS MB, ${c.label}`).join(" | ")} |`,
    `| --- | ${columns.map(() => "---:").join(" | ")} | ${columns.map(() => "---:").join(" | ")} |`,
    ...names.map((n) => `| ${n} | ${columns.map((c) => c.r.cpu_ms_per_chain[n] ?? "").join(" | ")} | ${columns.map((c) => c.r.rss_mb[n] ?? "").join(" | ")} |`),
    `| **the stack, in all** | ${columns.map((c) => `**${stack(c.r)}**`).join(" | ")} | ${columns.map(() => "").join(" | ")} |`,
  ];
}

/** Records and requests per chain at the brokers, for the runs that could read them. */
function brokerTable(columns: readonly { label: string; r: LoadResult }[]): string[] {
  const read = columns.filter((c) => c.r.broker_per_chain !== undefined);
  if (read.length === 0) return [];
  const topics = [...new Set(read.flatMap((c) => Object.keys(c.r.broker_per_chain?.records ?? {})))].sort();
  const apis = [...new Set(read.flatMap((c) => Object.keys(c.r.broker_per_chain?.requests ?? {})))].sort();
  return [
    "## At the broker, per complete chain",
    "",
    "Records written per topic and requests served per API, from the brokers' JMX exporter before and after each run. Fetches include the consumers' idle long polls, so at a low rate they count the polling more than the chains.",
    "",
    `| per chain | ${read.map((c) => c.label).join(" | ")} |`,
    `| --- | ${read.map(() => "---:").join(" | ")} |`,
    ...topics.map((t) => `| records on ${t} | ${read.map((c) => c.r.broker_per_chain?.records[t] ?? "").join(" | ")} |`),
    `| **records** | ${read.map((c) => `**${c.r.broker_per_chain?.records_total ?? ""}**`).join(" | ")} |`,
    ...apis.map((a) => `| ${a} requests | ${read.map((c) => c.r.broker_per_chain?.requests[a] ?? "").join(" | ")} |`),
    `| **requests** | ${read.map((c) => `**${c.r.broker_per_chain?.requests_total ?? ""}**`).join(" | ")} |`,
    "",
  ];
}

export function renderBenchmarksDoc(b: BenchRecord): string {
  const m = b.machine;
  const columns = [{ label: `${b.idle.result.rate}/s`, r: b.idle.result }, ...(b.reference === undefined ? [] : [{ label: `${b.reference.result.rate}/s`, r: b.reference.result }]), ...(b.atMax === undefined ? [] : [{ label: `${b.atMax.rate}/s (find-max)`, r: b.atMax }])];
  return [
    "# Benchmarks",
    "",
    "<!-- Written by ./polyglot bench (cli/src/commands/bench.ts, cli/src/bench/benchmarks-doc.ts): run it again and commit this file whenever performance work lands. -->",
    "",
    "The project's published figures. They are measurements of one run on one machine, not assertions: nothing fails when they move.",
    "What each performance change bought, per component before and after: [performance-changes.md](performance-changes.md).",
    "",
    `- Date: ${b.date}`,
    `- Machine: ${m.cores} cores (${m.cpu_model}), ${m.memory_gib} GiB memory, ${m.os}, Node ${m.node}; load average ${m.load_average} when the bench started (the machine is shared: other work moves every figure)`,
    `- Commit: \`${b.commit.sha}\`${b.commit.dirty ? " with uncommitted changes" : ""}`,
    `- Command: \`${b.command}\` after \`./polyglot up\` (${Math.round(b.wallS)} s)`,
    "",
    "## Highest sustainable sign-up rate",
    "",
    `\`${b.findMaxCommand}\`, ${b.searches.length === 3 ? "three times" : `${b.searches.length} time(s)`}: the median of the highest rates is **${b.medianMaxRate} sign-ups/s** (every chain complete within the drain, chain p99 under ${b.searches[0]?.slo_p99_ms ?? 1000} ms).`,
    "",
    "| search | highest rate | steps (rate: verdict, chain p99) |",
    "| --- | ---: | --- |",
    ...b.searches.map((s, i) => `| ${i + 1} | ${s.max_rate}/s | ${s.steps.map((st) => `${st.rate}/s: ${st.ok ? `pass, p99 ${ms(st.result.chain_ms.p99)}` : `fail, ${st.why}`}`).join("; ")} |`),
    "",
    "## Latency",
    "",
    ...loadSection(`At ${b.idle.result.rate} sign-ups/s (idle latency)`, b.idle),
    ...(b.reference === undefined ? [] : loadSection(`At ${b.reference.result.rate} sign-ups/s`, b.reference)),
    "## CPU and memory per complete chain",
    "",
    "CPU time of each component's process group (from /proc) over the run, divided by the chains that completed; peak resident memory. The load generator is listed apart from the stack.",
    "",
    ...cpuTable(columns),
    "",
    ...brokerTable(columns),
    // The serialization module's Markdown brings its own heading; a "Not run" line does not.
    ...(b.serialization.trim().startsWith("## ") ? [] : ["## Serialization", ""]),
    b.serialization.trim(),
    "",
  ].join("\n");
}
