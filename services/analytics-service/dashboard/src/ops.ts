// The Operations view: live figures from Prometheus (through analytics-service's /api/ops, a
// fixed set of queries over the recording rules): targets, per-service request rate and latency
// percentiles, consumer lag, DLQ records, broker throughput and the alerts that fire.
import type { OpsAnswer, OpsSample } from "../../src/http/ops.js";

const byId = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`#${id} is missing from index.html`);
  return el as T;
};

function row(cells: readonly string[], className?: string): HTMLTableRowElement {
  const tr = document.createElement("tr");
  if (className !== undefined) tr.className = className;
  for (const c of cells) {
    const td = document.createElement("td");
    td.textContent = c;
    tr.append(td);
  }
  return tr;
}

const rate = (v: number | null | undefined): string => (v === null || v === undefined ? "–" : v < 10 ? v.toFixed(2) : v.toFixed(0));
const ms = (v: number | null | undefined): string => (v === null || v === undefined ? "–" : `${(v * 1000).toFixed(v < 0.01 ? 1 : 0)}`);
const bytes = (v: number | null | undefined): string => (v === null || v === undefined ? "–" : v < 1024 ? `${v.toFixed(0)} B/s` : `${(v / 1024).toFixed(1)} KiB/s`);

function byLabel(samples: readonly OpsSample[], label: string): Map<string, number | null> {
  return new Map(samples.map((s) => [s.labels[label] ?? "", s.value]));
}

function fill(id: string, rows: HTMLTableRowElement[], empty: string, columns: number): void {
  byId(id).replaceChildren(...(rows.length > 0 ? rows : [row([empty, ...Array<string>(columns - 1).fill("")], "empty")]));
}

function render(a: OpsAnswer): void {
  const up = a.series.targetsUp;
  const jobs = [...new Set(up.map((s) => s.labels["job"] ?? ""))].sort();
  const upCount = up.filter((s) => s.value === 1).length;
  byId("ops-status").textContent = `Prometheus ${a.prometheus}: ${upCount}/${up.length} targets up, ${a.alerts.length} alert(s) firing · ${new Date(a.at).toLocaleTimeString()}`;
  byId("ops-status").dataset["state"] = "ok";

  const reqRate = byLabel(a.series.requestRate, "job");
  const p50 = byLabel(a.series.latencyP50, "job");
  const p95 = byLabel(a.series.latencyP95, "job");
  const p99 = byLabel(a.series.latencyP99, "job");
  const errors = byLabel(a.series.errorRatio, "job");
  const serviceJobs = jobs.filter((j) => j.endsWith("-service"));
  const health = new Map(up.map((s) => [`${s.labels["job"]}|${s.labels["instance"]}`, s.value]));
  fill(
    "ops-services",
    serviceJobs.map((j) => {
      const isUp = [...health].some(([k, v]) => k.startsWith(`${j}|`) && v === 1);
      const err = errors.get(j);
      return row([j, isUp ? "up" : "down", rate(reqRate.get(j)), ms(p50.get(j)), ms(p95.get(j)), ms(p99.get(j)), err === undefined || err === null ? "–" : `${(err * 100).toFixed(1)}%`], isUp ? "up" : "down");
    }),
    "no service target",
    7,
  );
  const others = jobs.filter((j) => !j.endsWith("-service"));
  byId("ops-targets").textContent = others.map((j) => `${j}: ${up.filter((s) => s.labels["job"] === j && s.value === 1).length}/${up.filter((s) => s.labels["job"] === j).length} up`).join(" · ");

  fill("ops-lag", a.series.consumerLag.map((s) => row([s.labels["group"] ?? "?", s.value === null ? "–" : String(Math.round(s.value))])), "no consumer reports lag", 2);
  fill("ops-dlq", a.series.dlqRecords.map((s) => row([`${s.labels["topic"] ?? "?"}`, String(s.value ?? "–")])), "no .dlq topic has records", 2);
  const one = (samples: readonly OpsSample[]): number | null | undefined => samples[0]?.value;
  fill(
    "ops-broker",
    [
      row(["messages in", `${rate(one(a.series.brokerMessagesIn))} /s`]),
      row(["bytes in", bytes(one(a.series.brokerBytesIn))]),
      row(["bytes out", bytes(one(a.series.brokerBytesOut))]),
      row(["chain latency p95", `${ms(one(a.series.chainLatencyP95))} ms`]),
      ...a.series.topicMessagesIn.filter((s) => (s.value ?? 0) > 0).map((s) => row([`  ${s.labels["topic"] ?? "?"}`, `${rate(s.value)} /s`])),
    ],
    "",
    2,
  );
  const alerts = byId("ops-alerts");
  alerts.replaceChildren(
    ...(a.alerts.length === 0
      ? [Object.assign(document.createElement("li"), { textContent: "none firing", className: "empty" })]
      : a.alerts.map((x) => Object.assign(document.createElement("li"), { textContent: `${x.name} (${x.severity}) ${x.labels["job"] ?? x.labels["group"] ?? x.labels["topic"] ?? ""}`, className: "bad" }))),
  );
}

async function refresh(): Promise<void> {
  try {
    const res = await fetch("/api/ops");
    if (!res.ok) throw new Error(`${res.status}: ${((await res.json()) as { detail?: string }).detail ?? ""}`);
    render((await res.json()) as OpsAnswer);
  } catch (e: unknown) {
    byId("ops-status").textContent = `Prometheus unavailable (${e instanceof Error ? e.message : String(e)})`;
    byId("ops-status").dataset["state"] = "error";
  }
}

export function setupOps(): void {
  void refresh();
  setInterval(() => void refresh(), 5_000);
}
