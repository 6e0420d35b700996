// The service's own Prometheus metrics (GET /metrics/prometheus): how the consumer is doing,
// as opposed to GET /metrics, which is what the events say.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { RecordOutcome } from "../kafka/record-handler.js";

export interface ServiceMetrics {
  readonly registry: Registry;
  /** Counts one handled record, and its handling time in seconds. */
  recordHandled(topic: string, outcome: RecordOutcome, seconds: number): void;
}

export function createServiceMetrics(options: { readonly wsClients: () => number; readonly serviceName: string }): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.serviceName });
  collectDefaultMetrics({ register: registry });

  const records = new Counter({
    name: "analytics_records_total",
    help: "Records handled, by topic and outcome (counted, duplicate, dead-lettered, poison-replayed).",
    labelNames: ["topic", "outcome"] as const,
    registers: [registry],
  });
  const events = new Counter({
    name: "analytics_events_counted_total",
    help: "Distinct events counted, by type and producing service.",
    labelNames: ["type", "source_service"] as const,
    registers: [registry],
  });
  const deadLettered = new Counter({
    name: "analytics_dlq_records_total",
    help: "Records sent to <topic>.dlq, by source topic and dlq.reason.",
    labelNames: ["topic", "reason"] as const,
    registers: [registry],
  });
  const handling = new Histogram({
    name: "analytics_record_handling_seconds",
    help: "Time to decode, count and (for poison records) dead-letter one record.",
    buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1],
    registers: [registry],
  });
  new Gauge({
    name: "analytics_ws_clients",
    help: "Connected WebSocket clients.",
    registers: [registry],
    collect() {
      this.set(options.wsClients());
    },
  });

  return {
    registry,
    recordHandled(topic, outcome, seconds) {
      records.inc({ topic, outcome: outcome.kind });
      handling.observe(seconds);
      if (outcome.kind === "counted") events.inc({ type: outcome.event.type, source_service: outcome.event.service });
      if (outcome.kind === "dead-lettered") deadLettered.inc({ topic, reason: outcome.reason });
    },
  };
}
