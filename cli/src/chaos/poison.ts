// `chaos poison TOPIC`: the poison records of the fault tests, one of each kind, each with what
// the consuming services must do with it (the `dlq.reason` they put on it in `<topic>.dlq`).
import { randomBytes, randomUUID } from "node:crypto";
import { create, toBinary, type DescMessage } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { EventMetadataSchema } from "../gen/polyglot/common/v1/metadata_pb.js";
import { AnalyticsUpdateSchema } from "../gen/polyglot/events/v1/analytics_events_pb.js";
import { EmailSentEventSchema } from "../gen/polyglot/events/v1/notification_events_pb.js";
import { OrderCreatedEventSchema } from "../gen/polyglot/events/v1/order_events_pb.js";
import { UserSignupEventSchema } from "../gen/polyglot/events/v1/user_events_pb.js";
import { eventTopics } from "../stack/kafka/topics.js";

export type DlqReason = "decode-error" | "unknown-type" | "missing-header" | "handler-error" | "retries-exhausted";

export interface PoisonRecord {
  /** What is wrong with it, e.g. `truncated-protobuf`. */
  readonly kind: string;
  /** The `dlq.reason` the consumer must give it. */
  readonly expected: DlqReason;
  readonly key: string;
  readonly value: Buffer;
  readonly headers: Readonly<Record<string, string>>;
}

/** One mebibyte, the size of the large poison value. */
export const largeValueBytes = 1024 * 1024;

/** A message type each topic carries, for the records whose headers are right and value wrong. */
const topicSchemas: Readonly<Record<(typeof eventTopics)[number], DescMessage>> = {
  "user-events": UserSignupEventSchema,
  "order-events": OrderCreatedEventSchema,
  "notification-events": EmailSentEventSchema,
  "analytics-events": AnalyticsUpdateSchema,
};

export function isEventTopic(topic: string): topic is (typeof eventTopics)[number] {
  return (eventTopics as readonly string[]).includes(topic);
}

/**
 * Bytes that no protobuf parser accepts: the first byte is the tag of field 1 with wire type 7,
 * which does not exist. (Plain random bytes often parse: protobuf reads most bytes as some message.)
 */
export function undecodable(size: number): Buffer {
  const bytes = randomBytes(size);
  bytes[0] = 0x0f;
  return bytes;
}

/** A valid message of `schema`: its event metadata, and `key` in each of its string fields (user_id, ...). */
export function sampleMessage(schema: DescMessage, key: string, eventId: string, correlationId: string, now: Date): Buffer {
  const eventMetadata = create(EventMetadataSchema, { eventId, correlationId, causationId: "", sourceService: "polyglot-chaos", sourceVersion: "0.1.0", timestamp: timestampFromDate(now) });
  const empty = create(schema) as unknown as Record<string, unknown>;
  const fields: Record<string, unknown> = { eventMetadata };
  for (const f of schema.fields) if (f.fieldKind === "scalar" && typeof empty[f.localName] === "string") fields[f.localName] = key;
  return Buffer.from(toBinary(schema, create(schema, fields as never)));
}

/** The CloudEvents headers of the contract for a record from `/polyglot-chaos`. */
export function chaosHeaders(type: string, eventId: string, correlationId: string, now: Date): Record<string, string> {
  return {
    ce_specversion: "1.0",
    ce_id: eventId,
    ce_source: "/polyglot-chaos",
    ce_type: type,
    ce_time: now.toISOString(),
    "content-type": "application/protobuf",
    ce_correlationid: correlationId,
    ce_causationid: "",
    traceparent: `00-${randomBytes(16).toString("hex")}-${randomBytes(8).toString("hex")}-01`,
  };
}

/**
 * The five poison records for `topic`, all in one chain (`correlationId`) so that
 * `./polyglot logs --correlation ID` shows what each service did with them.
 */
export function poisonRecords(topic: (typeof eventTopics)[number], correlationId: string, now = new Date()): PoisonRecord[] {
  const schema = topicSchemas[topic];
  const key = `chaos-${correlationId}`;
  const record = (kind: string, expected: DlqReason, value: (eventId: string) => Buffer, type = schema.typeName, drop: readonly string[] = []): PoisonRecord => {
    const eventId = randomUUID();
    const headers = Object.fromEntries(Object.entries(chaosHeaders(type, eventId, correlationId, now)).filter(([name]) => !drop.includes(name)));
    return { kind, expected, key, value: value(eventId), headers };
  };
  const sample = (eventId: string): Buffer => sampleMessage(schema, key, eventId, correlationId, now);
  return [
    record("random-bytes", "decode-error", () => undecodable(64)),
    // Cut short by one byte: its last field is incomplete, whatever that field is.
    record("truncated-protobuf", "decode-error", (id) => sample(id).subarray(0, -1)),
    // The value is fine in these two; only the headers are at fault.
    record("wrong-ce-type", "unknown-type", sample, "polyglot.events.v1.NoSuchEvent"),
    record("missing-headers", "missing-header", sample, schema.typeName, ["ce_type", "ce_id", "ce_specversion", "ce_source"]),
    record("one-mebibyte", "decode-error", () => undecodable(largeValueBytes)),
  ];
}
