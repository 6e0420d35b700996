// Publishes what analytics learns back to Kafka, as the seed's diagram shows: an AnalyticsUpdate
// for each counter a new event moved, and a MetricsCollected snapshot at a fixed interval.
import type { Logger } from "pino";
import type { Aggregate, MetricChange } from "../analytics/aggregate.js";
import type { Envelope } from "../events/envelope.js";
import { analyticsTopic, analyticsUpdateRecords, metricsCollectedRecord, type OutgoingRecord } from "../events/outgoing.js";
import { producerTraceparent } from "../telemetry/tracing.js";
import { errorLine } from "../errors.js";
import type { RecordProducer } from "./producer.js";

export interface AnalyticsPublisher {
  /**
   * Queues the updates of one new event. Resolves at once, or, when too many records are not
   * acknowledged yet, once they are: a burst of events cannot queue without bound.
   */
  updates(changes: readonly MetricChange[], trigger: Envelope): Promise<void>;
  /** Starts the MetricsCollected timer. */
  start(): void;
  /** Stops the timer and sends what is queued. */
  stop(): Promise<void>;
}

export interface AnalyticsPublisherDeps {
  readonly producer: RecordProducer;
  readonly aggregate: Aggregate;
  readonly logger: Logger;
  readonly intervalSeconds: number;
  /** Records per send; a full batch is sent at once (default 500). */
  readonly batchSize?: number;
  /**
   * The least time between the starts of two sends (default 10 ms). A batch goes at once when
   * the last send started longer ago than this (an idle service adds no wait), else when this
   * much has passed since; while a send is in flight, records gather until it is acknowledged.
   */
  readonly lingerMs?: number;
  /** Records queued or in flight beyond which `updates` waits for the broker (default 10 batches). */
  readonly maxPending?: number;
  /** The clock, for tests. */
  readonly now?: () => number;
}

/**
 * Updates are sent in batches: one acknowledged send per event would hold the consumer to a few
 * hundred events a second (a first start on a long log counts every event as new). They are
 * derived data, so a failed send is logged and dropped, and the counts in /metrics stay right.
 *
 * Linger, the trade-off: each produce request costs the broker about 0.45 CPU-ms whatever it
 * holds, so fewer, fuller requests are cheaper; but every millisecond a batch waits is added to
 * the chain's last hop (last e-mail -> AnalyticsUpdate, inside the chain's 30 ms p50 target at
 * 5/s). The former fixed 20 ms linger delayed every event's updates by 20 ms, also when the
 * service was idle. Sending at once was measured too: no wait, but at 30 chains/s every event
 * (about 5 ms apart) became a request of its own, 2.5 times the produce requests. Spacing the
 * sends instead, at least `lingerMs` apart, costs nothing when events come further apart than
 * that (5/s: the last e-mail's updates go at once), and bounds this producer to 100 requests a
 * second at any rate (at 200 chains/s, 1,200 events/s, about six events a request), each
 * record waiting at most 10 ms.
 */
export function createAnalyticsPublisher(deps: AnalyticsPublisherDeps): AnalyticsPublisher {
  const { producer, aggregate, logger, intervalSeconds } = deps;
  const batchSize = deps.batchSize ?? 500;
  const lingerMs = deps.lingerMs ?? 10;
  const maxPending = deps.maxPending ?? batchSize * 10;
  const now = deps.now ?? Date.now;
  let queue: OutgoingRecord[] = [];
  let inFlight = 0;
  /** Sends started and not settled yet. */
  let sends = 0;
  let lastSendAt = Number.NEGATIVE_INFINITY;
  let sending: Promise<void> = Promise.resolve();
  let cancelScheduled: (() => void) | undefined;
  let collector: NodeJS.Timeout | undefined;

  /** Sends the queue once the spacing allows, unless a send in flight will pick it up. */
  const schedule = (): void => {
    if (cancelScheduled !== undefined || sends > 0 || queue.length === 0) return;
    const wait = lastSendAt + lingerMs - now();
    if (wait <= 0) {
      // After the other records of the current fetch are handled (they run as microtasks).
      const immediate = setImmediate(() => void flush());
      cancelScheduled = () => clearImmediate(immediate);
    } else {
      const timer = setTimeout(() => void flush(), wait);
      cancelScheduled = () => clearTimeout(timer);
    }
  };

  const flush = (): Promise<void> => {
    cancelScheduled?.();
    cancelScheduled = undefined;
    const batch = queue;
    queue = [];
    if (batch.length === 0) return sending;
    inFlight += batch.length;
    sends += 1;
    lastSendAt = now();
    // One send at a time keeps the updates of one metric in order on its partition.
    sending = sending.then(() =>
      producer
        .send(batch)
        .catch((e: unknown) => {
          logger.warn({ records: batch.length, err: errorLine(e) }, "AnalyticsUpdate batch not published");
        })
        .finally(() => {
          inFlight -= batch.length;
          sends -= 1;
          // What gathered while this batch was in flight goes as the spacing allows.
          if (sends === 0) schedule();
        }),
    );
    return sending;
  };

  return {
    async updates(changes, trigger) {
      // Inside the trigger's consumer span: the updates continue its trace.
      const traceparent = producerTraceparent(analyticsTopic, changes.map((c) => c.metricName).join(","));
      queue.push(...analyticsUpdateRecords(changes, trigger, Date.now(), traceparent));
      if (queue.length >= batchSize) void flush();
      else schedule();
      if (inFlight + queue.length >= maxPending) await sending;
    },
    start() {
      collector = setInterval(() => {
        const record = metricsCollectedRecord(aggregate.snapshot(), aggregate.revenueNanos("USD"), intervalSeconds, Date.now());
        producer.send([record]).catch((e: unknown) => logger.warn({ err: errorLine(e) }, "MetricsCollected not published"));
      }, intervalSeconds * 1000);
      collector.unref();
    },
    async stop() {
      if (collector !== undefined) clearInterval(collector);
      await flush();
    },
  };
}
