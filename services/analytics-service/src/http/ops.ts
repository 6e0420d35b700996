// GET /api/ops: the dashboard's Operations view, drawn from Prometheus' query API. A fixed set
// of PromQL queries over the recording rules of infra/prometheus (the page cannot send its own),
// and the alerts that fire.

/** One query of the Operations view: its name in the answer and the PromQL it runs. */
export const opsQueries = {
  targetsUp: "up",
  requestRate: "job:http_server_requests:rate1m",
  errorRatio: "job:http_server_requests_errors:ratio_rate1m",
  latencyP50: "job:http_server_requests_seconds:p50_1m",
  latencyP95: "job:http_server_requests_seconds:p95_1m",
  latencyP99: "job:http_server_requests_seconds:p99_1m",
  consumerLag: "group:polyglot_consumer_lag_records:sum",
  dlqRecords: "topic:kafka_dlq_records:sum",
  brokerMessagesIn: "kafka:messages_in:rate1m",
  brokerBytesIn: "kafka:bytes_in:rate1m",
  brokerBytesOut: "kafka:bytes_out:rate1m",
  topicMessagesIn: "topic:kafka_messages_in:rate1m",
  chainLatencyP95: "polyglot:chain_latency_seconds:p95_5m",
} as const;

export type OpsQuery = keyof typeof opsQueries;

/** One series of an instant vector: its labels and value (NaN as null). */
export interface OpsSample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number | null;
}

export interface OpsAlert {
  readonly name: string;
  readonly state: string;
  readonly severity: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly activeAt: string;
}

export interface OpsAnswer {
  readonly prometheus: string;
  /** When Prometheus answered (RFC 3339). */
  readonly at: string;
  readonly series: Readonly<Record<OpsQuery, readonly OpsSample[]>>;
  readonly alerts: readonly OpsAlert[];
  /** Queries Prometheus refused or did not answer, with why. */
  readonly errors: Readonly<Record<string, string>>;
}

interface PromVector {
  status: string;
  error?: string;
  data?: { resultType: string; result: Array<{ metric: Record<string, string>; value: [number, string] }> };
}

interface PromAlerts {
  status: string;
  data?: { alerts: Array<{ labels: Record<string, string>; state: string; activeAt?: string }> };
}

const timeoutMs = 3_000;

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok && res.status !== 400 && res.status !== 422) throw new Error(`${res.status} ${res.statusText}`);
  return (await res.json()) as T;
}

/** Reads every query of the Operations view at once; throws only when Prometheus does not answer at all. */
export async function readOps(prometheusUrl: string, now: () => Date = () => new Date()): Promise<OpsAnswer> {
  const names = Object.keys(opsQueries) as OpsQuery[];
  const errors: Record<string, string> = {};
  const results = await Promise.allSettled(
    names.map((name) => getJson<PromVector>(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(opsQueries[name])}`)),
  );
  if (results.every((r) => r.status === "rejected")) {
    const first = results[0];
    throw new Error(`Prometheus at ${prometheusUrl} does not answer: ${first?.status === "rejected" ? String(first.reason) : "?"}`);
  }
  const series = {} as Record<OpsQuery, OpsSample[]>;
  names.forEach((name, i) => {
    const r = results[i];
    series[name] = [];
    if (r === undefined || r.status === "rejected") {
      errors[name] = r === undefined ? "no answer" : String(r.reason);
      return;
    }
    if (r.value.status !== "success" || r.value.data?.resultType !== "vector") {
      errors[name] = r.value.error ?? `unexpected ${r.value.data?.resultType ?? "answer"}`;
      return;
    }
    series[name] = r.value.data.result.map((s) => {
      const value = Number(s.value[1]);
      return { labels: s.metric, value: Number.isFinite(value) ? value : null };
    });
  });
  let alerts: OpsAlert[] = [];
  try {
    const answer = await getJson<PromAlerts>(`${prometheusUrl}/api/v1/alerts`);
    alerts = (answer.data?.alerts ?? [])
      .filter((a) => a.state === "firing")
      .map((a) => ({ name: a.labels["alertname"] ?? "?", state: a.state, severity: a.labels["severity"] ?? "", labels: a.labels, activeAt: a.activeAt ?? "" }));
  } catch (e: unknown) {
    errors["alerts"] = e instanceof Error ? e.message : String(e);
  }
  return { prometheus: prometheusUrl, at: now().toISOString(), series, alerts, errors };
}
