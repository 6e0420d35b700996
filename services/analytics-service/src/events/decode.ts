// Turns one raw Kafka record into a known event, or into the reason it goes to the DLQ.
import { fromBinary } from "@bufbuild/protobuf";
import { headerStrings, readEnvelope, type Envelope } from "./envelope.js";
import { eventRoutes, type KnownEvent } from "./known-events.js";
import { errorLine } from "../errors.js";

/** A record as it came off the topic, bytes untouched (the DLQ copy must keep them as they were). */
export interface RawRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly key: Buffer | undefined;
  readonly value: Buffer | undefined;
  readonly headers: ReadonlyArray<readonly [Buffer, Buffer]>;
}

/** An event that analytics can count. */
export interface AnalyticsEvent {
  readonly envelope: Envelope;
  readonly topic: string;
  /** The partition it was read from: copies of one event share it (same key). */
  readonly partition: number;
  readonly message: KnownEvent;
}

export type DlqReason = "decode-error" | "unknown-type" | "missing-header" | "handler-error" | "retries-exhausted";

export type DecodeResult =
  | { readonly ok: true; readonly event: AnalyticsEvent }
  | { readonly ok: false; readonly reason: DlqReason; readonly error: string };

/**
 * Routes by ce_type, never by trying parsers: protobuf accepts most bytes as most messages, so
 * only the header can say what a value is. A type the contract puts on another topic is unknown here.
 */
export function decodeRecord(record: RawRecord): DecodeResult {
  const read = readEnvelope(headerStrings(record.headers));
  if (!read.ok) return { ok: false, reason: "missing-header", error: read.error };
  const { envelope } = read;

  const route = eventRoutes.get(envelope.type);
  if (route === undefined || route.topic !== record.topic) {
    return { ok: false, reason: "unknown-type", error: `ce_type ${envelope.type} is not expected on ${record.topic}` };
  }
  if (record.value === undefined || record.value === null) {
    return { ok: false, reason: "decode-error", error: "record has no value" };
  }
  try {
    const message = fromBinary(route.schema, record.value) as KnownEvent;
    return { ok: true, event: { envelope, topic: record.topic, partition: record.partition, message } };
  } catch (e: unknown) {
    return { ok: false, reason: "decode-error", error: `${envelope.type}: ${errorLine(e)}` };
  }
}
