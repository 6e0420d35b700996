// A load run as a person reads it in the terminal: counts, the latency table, hops, lag, and
// CPU and memory per component.
import pc from "picocolors";
import type { Percentiles } from "./percentiles.js";
import type { LoadResult } from "./result.js";

const ms = (n: number): string => (n >= 10_000 ? `${(n / 1000).toFixed(1)} s` : n >= 100 ? `${n.toFixed(0)} ms` : `${n.toFixed(1)} ms`);

function latencyRow(label: string, p: Percentiles, width: number): string {
  return `  ${label.padEnd(width)} ${String(p.count).padStart(6)} ${[p.p50, p.p90, p.p99, p.p999, p.max].map((v) => ms(v).padStart(9)).join(" ")}`;
}

export function renderTerminal(r: LoadResult): string {
  const lines: string[] = [];
  const title = `load: ${r.rate} sign-ups/s for ${r.duration_s} s${r.orders_per_signup > 0 ? `, ${r.orders_per_signup} order(s) per sign-up` : ""} (drain up to ${r.drain_s} s)${r.interrupted ? pc.yellow(" — interrupted by Ctrl-C") : ""}`;
  lines.push(pc.bold(title));
  const errors = Object.entries(r.errors);
  lines.push(
    `  sent ${r.sent} (achieved ${r.achieved_rate}/s, ${r.late_sends} late by more than 5 ms, worst ${r.max_late_ms} ms), accepted ${r.accepted}, ` +
      `${r.incomplete === 0 ? pc.green(`completed ${r.completed}`) : `completed ${r.completed}, ${pc.red(`incomplete ${r.incomplete}`)}`}` +
      `${r.faulty_chains > 0 ? pc.red(`, ${r.faulty_chains} chains with duplicate or unexpected events`) : ""}`,
  );
  if (r.orders.sent > 0) {
    lines.push(`  orders: sent ${r.orders.sent}, accepted ${r.orders.accepted}, refused 422 ${r.orders.refused_422}, completed ${r.orders.completed}${r.orders.incomplete > 0 ? pc.red(`, incomplete ${r.orders.incomplete}`) : ""}`);
  }
  const waiting = Object.entries(r.incomplete_waiting_for);
  if (waiting.length > 0) {
    lines.push(pc.yellow(`  incomplete after the drain, waiting for: ${waiting.map(([w, n]) => `${w} (${n})`).join(", ")}; a longer --drain shows whether they catch up, ./polyglot logs NAME why they lag`));
  }
  lines.push(`  errors: ${errors.length === 0 ? "none" : pc.red(errors.map(([k, n]) => `${k} x${n}`).join(", "))}`);
  const hopNames = Object.keys(r.hops);
  const width = Math.max(24, ...hopNames.map((h) => h.length + 2));
  lines.push("", pc.bold(`  ${"latency".padEnd(width)} ${"count".padStart(6)} ${["p50", "p90", "p99", "p99.9", "max"].map((h) => h.padStart(9)).join(" ")}`));
  lines.push(latencyRow("HTTP (sign-ups, orders)", r.http_ms, width));
  lines.push(latencyRow("sign-up chain", r.chain_ms, width));
  if (r.orders.chain_ms.count > 0) lines.push(latencyRow("order chain", r.orders.chain_ms, width));
  if (r.incomplete + r.orders.incomplete > 0) lines.push(pc.dim("  (chain latencies are of the completed chains only: the incomplete ones took longer than the drain)"));
  lines.push(pc.dim("  hops (cause → effect, Kafka record timestamps):"));
  for (const h of hopNames) lines.push(latencyRow(`  ${h}`, r.hops[h] as Percentiles, width));
  if (r.baseline !== undefined) {
    lines.push(
      "",
      `  floor: Kafka's EndToEndLatency on this broker, ${r.baseline.records} records: avg ${r.baseline.avg_ms} ms, p50 ${r.baseline.p50_ms} ms, p99 ${r.baseline.p99_ms} ms per hop`,
      `  sign-up chain p50 ${ms(r.chain_ms.p50)} = ${pc.bold(`${r.baseline.chain_p50_multiple} x`)} (floor avg x 4 consumed hops on the critical path)`,
    );
  }
  const b = r.broker_per_chain;
  if (b !== undefined) {
    const list = (o: Readonly<Record<string, number>>): string => Object.entries(o).map(([k, v]) => `${k} ${v}`).join(", ");
    lines.push("", `  broker, per chain: ${b.records_total} records (${list(b.records)})`, `                     ${b.requests_total} requests (${list(b.requests)})`);
  }
  lines.push("", `  peak consumer lag: ${Object.entries(r.peak_lag).map(([g, l]) => `${g} ${l}`).join(", ") || "(not read)"}`);
  lines.push("", pc.bold(`  ${"component".padEnd(22)} ${"CPU ms".padStart(9)} ${"CPU ms/chain".padStart(13)} ${"peak RSS".padStart(10)}`));
  const names = Object.keys(r.cpu_ms).sort((a, b) => (r.cpu_ms[b] ?? 0) - (r.cpu_ms[a] ?? 0));
  for (const n of names) {
    lines.push(`  ${n.padEnd(22)} ${String(r.cpu_ms[n]).padStart(9)} ${String(r.cpu_ms_per_chain[n]).padStart(13)} ${`${r.rss_mb[n] ?? "?"} MB`.padStart(10)}`);
  }
  const stack = names.filter((n) => n !== "load generator");
  const total = stack.reduce((a, n) => a + (r.cpu_ms_per_chain[n] ?? 0), 0);
  lines.push(`  ${"the stack, in all".padEnd(22)} ${String(stack.reduce((a, n) => a + (r.cpu_ms[n] ?? 0), 0)).padStart(9)} ${(Math.round(total * 10) / 10).toString().padStart(13)}`);
  lines.push(pc.dim(`  the generator used ${r.generator_cpu_pct}% of one core over ${r.wall_s} s; the machine's load average was ${r.load_average} on ${r.cores} cores`));
  if (r.report !== undefined) lines.push("", `  HTML report: ${r.report}`);
  return lines.join("\n");
}
