// Checks that one record read back from a topic carries the contract's wire format:
// every CloudEvents header, the same ids in the value's EventMetadata, the key and the type.
import { expect } from "vitest";
import type { EventRecord } from "../../cli/src/events/event-log.js";

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const traceparent = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

export interface Expected {
  readonly type: string;
  readonly source: string;
  readonly key: string;
  readonly correlationId: string;
  /** The cause's event id, or "" for a root event. */
  readonly causationId: string;
}

export function expectRecord(record: EventRecord, expected: Expected): void {
  const h = record.headers;
  const where = `${record.topic}[${record.partition}]@${record.offset} (${record.type})`;
  expect(record.decodeError, where).toBeUndefined();
  expect(record.key, `${where} key`).toBe(expected.key);
  expect(h.ce_type, `${where} ce_type`).toBe(expected.type);
  expect(h.ce_specversion, `${where} ce_specversion`).toBe("1.0");
  expect(h.ce_source, `${where} ce_source`).toBe(expected.source);
  expect(h["content-type"], `${where} content-type`).toBe("application/protobuf");
  expect(h.ce_id, `${where} ce_id`).toMatch(uuid);
  expect(Number.isNaN(Date.parse(h.ce_time ?? "")), `${where} ce_time is RFC 3339`).toBe(false);
  expect(h.traceparent, `${where} traceparent`).toMatch(traceparent);
  expect(h.ce_correlationid, `${where} ce_correlationid`).toBe(expected.correlationId);
  expect(h.ce_causationid ?? "", `${where} ce_causationid`).toBe(expected.causationId);

  const metadata = (record.value?.eventMetadata ?? {}) as Record<string, unknown>;
  expect(metadata.eventId, `${where} event_metadata.event_id`).toBe(h.ce_id);
  expect(metadata.correlationId, `${where} event_metadata.correlation_id`).toBe(expected.correlationId);
  expect(metadata.causationId ?? "", `${where} event_metadata.causation_id`).toBe(expected.causationId);
  expect(`/${String(metadata.sourceService)}`, `${where} event_metadata.source_service`).toBe(expected.source);
}
