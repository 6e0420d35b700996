// The records analytics-service produces on analytics-events: AnalyticsUpdate when a counter
// moved, MetricsCollected at a fixed interval, each with the contract's headers and the same ids
// in its EventMetadata.
import { randomBytes, randomUUID } from "node:crypto";
import { create, toBinary, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { v5 as uuidv5 } from "uuid";
import { EventMetadataSchema } from "../gen/polyglot/common/v1/metadata_pb.js";
import { AnalyticsUpdateSchema, MetricsCollectedSchema } from "../gen/polyglot/events/v1/analytics_events_pb.js";
import type { MetricChange } from "../analytics/aggregate.js";
import type { MetricsSnapshot } from "../analytics/snapshot.js";
import { Headers, type Envelope } from "./envelope.js";

export const analyticsTopic = "analytics-events";
const serviceName = "analytics-service";
const serviceVersion = "0.1.0";

export interface OutgoingRecord {
  readonly topic: string;
  readonly key: Buffer;
  readonly value: Buffer;
  readonly headers: ReadonlyArray<readonly [Buffer, Buffer]>;
}

interface Ids {
  readonly eventId: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly traceparent: string;
}

/** Continues the cause's trace with a new span, or starts a trace when there is none. */
export function childTraceparent(parent: string): string {
  const span = randomBytes(8).toString("hex");
  const match = /^00-([0-9a-f]{32})-[0-9a-f]{16}-([0-9a-f]{2})$/.exec(parent);
  return match === null ? `00-${randomBytes(16).toString("hex")}-${span}-01` : `00-${match[1]}-${span}-${match[2]}`;
}

/** The bytes of the header names and fixed values, made once rather than per record. */
const fixedBytes = new Map<string, Buffer>();
function fixed(text: string): Buffer {
  let bytes = fixedBytes.get(text);
  if (bytes === undefined) {
    bytes = Buffer.from(text);
    fixedBytes.set(text, bytes);
  }
  return bytes;
}

function outgoing<Desc extends DescMessage>(schema: Desc, message: MessageShape<Desc>, key: string, ids: Ids, nowMs: number): OutgoingRecord {
  const headers: Array<readonly [Buffer, Buffer]> = [
    [fixed(Headers.specVersion), fixed("1.0")],
    [fixed(Headers.id), Buffer.from(ids.eventId)],
    [fixed(Headers.source), fixed(`/${serviceName}`)],
    [fixed(Headers.type), fixed(schema.typeName)],
    [fixed(Headers.time), Buffer.from(new Date(nowMs).toISOString())],
    [fixed(Headers.contentType), fixed("application/protobuf")],
    [fixed(Headers.correlationId), Buffer.from(ids.correlationId)],
    [fixed(Headers.causationId), Buffer.from(ids.causationId)],
    [fixed(Headers.traceparent), Buffer.from(ids.traceparent)],
  ];
  const value = toBinary(schema, message);
  return {
    topic: analyticsTopic,
    key: fixed(key),
    // A view on the encoder's bytes, not a copy.
    value: Buffer.from(value.buffer, value.byteOffset, value.byteLength),
    headers,
  };
}

function metadata(ids: Ids, nowMs: number) {
  return create(EventMetadataSchema, {
    eventId: ids.eventId,
    correlationId: ids.correlationId,
    causationId: ids.causationId,
    sourceService: serviceName,
    sourceVersion: serviceVersion,
    timestamp: timestampFromMs(nowMs),
  });
}

/** The namespace of AnalyticsUpdate event ids (UUID v5, as order-service names its derived events). */
const updateIdNamespace = "7d3e9b1a-2c4f-5a8e-b6d0-1f2a3b4c5d6e";

/**
 * The id of the update that event `triggerId` made to one counter. Derived, not random: offsets
 * are committed once a second, so after a crash the records since the last commit are counted
 * (once: their ids are remembered) and their updates published again; with the same ids,
 * consumers that keep event ids take the second copy for what it is.
 */
export function analyticsUpdateId(triggerId: string, change: Pick<MetricChange, "metricName" | "labels">): string {
  const labels = Object.entries(change.labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(",");
  return uuidv5(`${triggerId}/${change.metricName}/${labels}`, updateIdNamespace);
}

/** One AnalyticsUpdate per changed counter, keyed by metric name, in the trigger's chain. */
export function analyticsUpdateRecords(changes: readonly MetricChange[], trigger: Envelope, nowMs: number, traceparent?: string): OutgoingRecord[] {
  return changes.map((change) => {
    const ids: Ids = {
      eventId: analyticsUpdateId(trigger.id, change),
      correlationId: trigger.correlationId,
      causationId: trigger.id,
      // The producer span's context when tracing runs, else a new span id in the trigger's trace.
      traceparent: traceparent ?? childTraceparent(trigger.traceparent),
    };
    const message = create(AnalyticsUpdateSchema, {
      metricName: change.metricName,
      value: change.value,
      previousValue: change.previousValue,
      labels: { ...change.labels },
      updatedTimestamp: timestampFromMs(nowMs),
      eventMetadata: metadata(ids, nowMs),
      triggerEventId: trigger.id,
    });
    return outgoing(AnalyticsUpdateSchema, message, change.metricName, ids, nowMs);
  });
}

/** A snapshot of the counters: a root event of its own chain, keyed "metrics_collected". */
export function metricsCollectedRecord(m: MetricsSnapshot, totalRevenueNanos: bigint, intervalSeconds: number, nowMs: number): OutgoingRecord {
  const eventId = randomUUID();
  const ids: Ids = { eventId, correlationId: eventId, causationId: "", traceparent: childTraceparent("") };
  const int64s = (record: Readonly<Record<string, number>>): Record<string, bigint> =>
    Object.fromEntries(Object.entries(record).map(([k, v]) => [k, BigInt(v)]));
  const units = totalRevenueNanos / 1_000_000_000n;
  const message = create(MetricsCollectedSchema, {
    collectedTimestamp: timestampFromMs(nowMs),
    userSignups: BigInt(m.userSignups),
    ordersCreated: BigInt(m.ordersCreated),
    emailsSent: BigInt(m.emailsSent),
    smsSent: BigInt(m.smsSent),
    paymentsDeclined: BigInt(m.paymentsDeclined),
    totalRevenue: { currencyCode: "USD", units, nanos: Number(totalRevenueNanos - units * 1_000_000_000n) },
    signupsBySource: int64s(m.signupsBySource),
    ordersByStatus: int64s(m.ordersByStatus),
    eventsByType: int64s(m.eventsByType),
    intervalSeconds,
    eventMetadata: metadata(ids, nowMs),
  });
  return outgoing(MetricsCollectedSchema, message, "metrics_collected", ids, nowMs);
}
