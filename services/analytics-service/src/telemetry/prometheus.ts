// The service's own Prometheus metrics (GET /metrics/prometheus), with the names, types and labels
// of the system's metrics contract (infra/prometheus/README.md), so the shared rules, alerts and
// the Operations view cover analytics-service like every other service.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { eventRoutes } from "../events/known-events.js";
import type { RecordOutcome } from "../kafka/record-handler.js";

export interface ServiceMetrics {
  readonly registry: Registry;
  /** One record taken from a topic. `replayed` records (rebuilding the state) are not timed. */
  recordConsumed(topic: string, ceType: string | undefined, outcome: RecordOutcome, eventTimeMs: number | undefined, replayed: boolean): void;
  /** Records the broker acknowledged, by topic and ce_type. */
  recordsProduced(records: ReadonlyArray<{ readonly topic: string; readonly ceType: string | undefined }>): void;
  /** An event of a chain whose root (the event with no cause) was seen: its ce_time minus the root's. */
  chainLatency(ceType: string, seconds: number): void;
  consumerLag(group: string, topic: string, partition: number, lag: number): void;
  httpRequest(method: string, uri: string, status: number, seconds: number): void;
}

/** The contract's buckets, in seconds. */
const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const analyticsTypes = new Set(["polyglot.events.v1.AnalyticsUpdate", "polyglot.events.v1.MetricsCollected"]);

/** A label value must never come from arbitrary input: an unknown type is "unknown". */
export function typeLabel(ceType: string | undefined): string {
  return ceType !== undefined && (eventRoutes.has(ceType) || analyticsTypes.has(ceType)) ? ceType : "unknown";
}

export function createServiceMetrics(options: { readonly wsClients: () => number }): ServiceMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const consumed = new Counter({
    name: "polyglot_events_consumed_total",
    help: "Records taken from a topic, by outcome: ok (counted), duplicate (same event id again), dlq (a poison record).",
    labelNames: ["topic", "type", "outcome"] as const,
    registers,
  });
  const produced = new Counter({
    name: "polyglot_events_produced_total",
    help: "Records the broker acknowledged (AnalyticsUpdate, MetricsCollected, DLQ copies).",
    labelNames: ["topic", "type"] as const,
    registers,
  });
  const dlq = new Counter({
    name: "polyglot_dlq_records_total",
    help: "Records this service sent to <topic>.dlq, by source topic and dlq.reason.",
    labelNames: ["topic", "reason"] as const,
    registers,
  });
  const eventLatency = new Histogram({
    name: "polyglot_event_latency_seconds",
    help: "From a record's ce_time to the end of its handling: one hop's delay.",
    labelNames: ["topic", "type"] as const,
    buckets,
    registers,
  });
  const chain = new Histogram({
    name: "polyglot_chain_latency_seconds",
    help: "For each event of a chain whose root was seen: its ce_time minus the root's.",
    labelNames: ["type"] as const,
    buckets,
    registers,
  });
  const lag = new Gauge({
    name: "polyglot_consumer_lag_records",
    help: "Per assigned partition: the high watermark minus the group's next offset to read.",
    labelNames: ["group", "topic", "partition"] as const,
    registers,
  });
  const http = new Histogram({
    name: "http_server_requests_seconds",
    help: "HTTP requests, seconds until the answer.",
    labelNames: ["method", "uri", "status"] as const,
    buckets,
    registers,
  });
  new Gauge({
    name: "analytics_ws_clients",
    help: "Connected WebSocket clients of the dashboard.",
    registers,
    collect() {
      this.set(options.wsClients());
    },
  });

  return {
    registry,
    recordConsumed(topic, ceType, outcome, eventTimeMs, replayed) {
      const type = typeLabel(ceType);
      const kind = outcome.kind === "counted" ? "ok" : outcome.kind === "duplicate" ? "duplicate" : "dlq";
      consumed.inc({ topic, type, outcome: kind });
      if (outcome.kind === "dead-lettered") dlq.inc({ topic, reason: outcome.reason });
      if (!replayed && eventTimeMs !== undefined) eventLatency.observe({ topic, type }, Math.max(0, Date.now() - eventTimeMs) / 1000);
    },
    recordsProduced(records) {
      for (const r of records) produced.inc({ topic: r.topic, type: typeLabel(r.ceType) });
    },
    chainLatency(ceType, seconds) {
      chain.observe({ type: typeLabel(ceType) }, Math.max(0, seconds));
    },
    consumerLag(group, topic, partition, value) {
      lag.set({ group, topic, partition: String(partition) }, value);
    },
    httpRequest(method, uri, status, seconds) {
      http.observe({ method, uri, status: String(status) }, seconds);
    },
  };
}
