// Publishes what analytics learns back to Kafka, as the seed's diagram shows: an AnalyticsUpdate
// for each counter a new event moved, and a MetricsCollected snapshot at a fixed interval.
import type { Logger } from "pino";
import type { Aggregate, MetricChange } from "../analytics/aggregate.js";
import type { Envelope } from "../events/envelope.js";
import { analyticsUpdateRecords, metricsCollectedRecord } from "../events/outgoing.js";
import { errorLine } from "../errors.js";
import type { RecordProducer } from "./producer.js";

export interface AnalyticsPublisher {
  /** Publishes the updates of one new event; resolves after the broker acknowledged them (errors are logged). */
  updates(changes: readonly MetricChange[], trigger: Envelope): Promise<void>;
  /** Starts the MetricsCollected timer. */
  start(): void;
  stop(): void;
}

export interface AnalyticsPublisherDeps {
  readonly producer: RecordProducer;
  readonly aggregate: Aggregate;
  readonly logger: Logger;
  readonly intervalSeconds: number;
}

export function createAnalyticsPublisher({ producer, aggregate, logger, intervalSeconds }: AnalyticsPublisherDeps): AnalyticsPublisher {
  let timer: NodeJS.Timeout | undefined;
  return {
    async updates(changes, trigger) {
      // Derived data: a failure is logged and the consumer goes on (the counts stay right in /metrics).
      await producer.send(analyticsUpdateRecords(changes, trigger, Date.now())).catch((e: unknown) => {
        logger.warn({ event_id: trigger.id, correlation_id: trigger.correlationId, err: errorLine(e) }, "AnalyticsUpdate not published");
      });
    },
    start() {
      timer = setInterval(() => {
        const record = metricsCollectedRecord(aggregate.snapshot(), aggregate.revenueNanos("USD"), intervalSeconds, Date.now());
        producer.send([record]).catch((e: unknown) => logger.warn({ err: errorLine(e) }, "MetricsCollected not published"));
      }, intervalSeconds * 1000);
      timer.unref();
    },
    stop() {
      if (timer !== undefined) clearInterval(timer);
    },
  };
}
