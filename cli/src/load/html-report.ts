// The HTML report of a load run: one self-contained file (Chart.js's UMD build and the data
// inlined, nothing fetched) that opens offline, with latency over time, throughput, consumer lag
// and CPU per component. Written under .polyglot/reports/<time>/ unless --report names a folder.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import type { Percentiles } from "./percentiles.js";
import type { LoadResult } from "./result.js";

/** Chart.js's browser build, from the CLI's node_modules. */
async function chartJs(): Promise<string> {
  const main = createRequire(import.meta.url).resolve("chart.js");
  return readFile(path.join(path.dirname(main), "chart.umd.min.js"), "utf8");
}

const escapeHtml = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] ?? c);
/** JSON that cannot end the <script> element it sits in. */
const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, "\\u003c");

function latencyTable(r: LoadResult): string {
  const row = (label: string, p: Percentiles): string => `<tr><td>${escapeHtml(label)}</td><td>${p.count}</td>${[p.p50, p.p90, p.p99, p.p999, p.max].map((v) => `<td>${v}</td>`).join("")}</tr>`;
  const rows = [row("HTTP", r.http_ms), row("sign-up chain", r.chain_ms), ...(r.orders.chain_ms.count > 0 ? [row("order chain", r.orders.chain_ms)] : []), ...Object.entries(r.hops).map(([h, p]) => row(`hop: ${h}`, p))];
  return `<table><tr><th>latency (ms)</th><th>count</th><th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th></tr>${rows.join("")}</table>`;
}

function cpuTable(r: LoadResult): string {
  const names = Object.keys(r.cpu_ms).sort((a, b) => (r.cpu_ms[b] ?? 0) - (r.cpu_ms[a] ?? 0));
  return `<table><tr><th>component</th><th>CPU ms</th><th>CPU ms per complete chain</th><th>peak RSS (MB)</th></tr>${names
    .map((n) => `<tr><td>${escapeHtml(n)}</td><td>${r.cpu_ms[n]}</td><td>${r.cpu_ms_per_chain[n]}</td><td>${r.rss_mb[n] ?? ""}</td></tr>`)
    .join("")}</table>`;
}

export async function renderHtml(r: LoadResult): Promise<string> {
  const summary = [
    `sent ${r.sent} sign-ups at ${r.rate}/s for ${r.duration_s} s (achieved ${r.achieved_rate}/s, ${r.late_sends} late sends), accepted ${r.accepted}, completed ${r.completed}, incomplete ${r.incomplete}`,
    r.orders.sent > 0 ? `orders: sent ${r.orders.sent}, accepted ${r.orders.accepted}, refused 422 ${r.orders.refused_422}, completed ${r.orders.completed}, incomplete ${r.orders.incomplete}` : "",
    `errors: ${Object.entries(r.errors).map(([k, n]) => `${k} x${n}`).join(", ") || "none"}`,
    `peak lag: ${Object.entries(r.peak_lag).map(([g, l]) => `${g} ${l}`).join(", ")}`,
    r.baseline === undefined ? "" : `floor (Kafka EndToEndLatency, ${r.baseline.records} records): avg ${r.baseline.avg_ms} ms per hop; sign-up chain p50 = ${r.baseline.chain_p50_multiple} x (floor x 4 hops)`,
    `the generator used ${r.generator_cpu_pct}% of one core; the machine's load average was ${r.load_average} on ${r.cores} cores`,
  ].filter((l) => l !== "");
  const data = { timeline: r.timeline, lag: r.lag_series, resources: r.resource_series, cpuPerChain: r.cpu_ms_per_chain };
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>polyglot load ${escapeHtml(r.started_at)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}td:first-child,th:first-child{text-align:left}.chart{height:300px;margin:1.5em 0}</style>
<script>${await chartJs()}</script></head><body>
<h1>./polyglot load, ${escapeHtml(r.started_at)}</h1>
<ul>${summary.map((l) => `<li>${escapeHtml(l)}</li>`).join("")}</ul>
${latencyTable(r)}
<h2>Chain latency over time (chains completed in each second)</h2><div class="chart"><canvas id="latency"></canvas></div>
<h2>Throughput</h2><div class="chart"><canvas id="throughput"></canvas></div>
<h2>Consumer lag</h2><div class="chart"><canvas id="lag"></canvas></div>
<h2>CPU per component (% of one core)</h2><div class="chart"><canvas id="cpu"></canvas></div>
<h2>CPU ms per complete chain</h2><div class="chart"><canvas id="perChain"></canvas></div>
${cpuTable(r)}
<script>
const data = ${scriptJson(data)};
const opts = (y) => ({ maintainAspectRatio: false, animation: false, scales: { x: { type: "linear", title: { display: true, text: "s" } }, y: { beginAtZero: true, title: { display: true, text: y } } } });
const xy = (points, f) => points.map((p) => ({ x: p.t, y: f(p) }));
new Chart(document.getElementById("latency"), { type: "line", data: { datasets: [
  { label: "chain p50 (ms)", data: xy(data.timeline.filter((p) => p.completed > 0), (p) => p.chain_p50_ms) },
  { label: "chain p99 (ms)", data: xy(data.timeline.filter((p) => p.completed > 0), (p) => p.chain_p99_ms) } ] }, options: opts("ms") });
new Chart(document.getElementById("throughput"), { type: "line", data: { datasets: [
  { label: "sign-ups sent / s", data: xy(data.timeline, (p) => p.sent) },
  { label: "sign-up chains completed / s", data: xy(data.timeline, (p) => p.completed) } ] }, options: opts("per second") });
const groups = [...new Set(data.lag.flatMap((p) => Object.keys(p.lag)))];
new Chart(document.getElementById("lag"), { type: "line", data: { datasets: groups.map((g) => ({ label: g, data: xy(data.lag, (p) => p.lag[g] ?? 0) })) }, options: opts("records") });
const components = [...new Set(data.resources.flatMap((p) => Object.keys(p.cpuPct)))];
new Chart(document.getElementById("cpu"), { type: "line", data: { datasets: components.map((c) => ({ label: c, data: xy(data.resources, (p) => p.cpuPct[c] ?? 0) })) }, options: opts("% of one core") });
const perChain = Object.entries(data.cpuPerChain).sort((a, b) => b[1] - a[1]);
new Chart(document.getElementById("perChain"), { type: "bar", data: { labels: perChain.map((e) => e[0]), datasets: [{ label: "CPU ms per complete chain", data: perChain.map((e) => e[1]) }] }, options: { maintainAspectRatio: false, animation: false } });
</script></body></html>
`;
}

/** `.polyglot/reports/2026-12-03T09-12-00Z/` */
export function defaultReportDir(stateDir: string, at: Date): string {
  return path.join(stateDir, "reports", at.toISOString().replace(/\.\d+Z$/, "Z").replace(/:/g, "-"));
}

/** Writes `index.html` (and `result.json`) into `dir`; returns the HTML file's path. */
export async function writeReport(dir: string, r: LoadResult): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, "index.html");
  await writeFile(file, await renderHtml(r));
  await writeFile(path.join(dir, "result.json"), `${JSON.stringify(r, null, 2)}\n`);
  return file;
}
