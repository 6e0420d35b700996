// The contract's record headers (CloudEvents Kafka binding, binary mode).
import { randomBytes, randomUUID } from "node:crypto";

export interface EventIds {
  readonly eventId: string;
  readonly correlationId: string;
  readonly causationId: string;
}

export function newRootIds(): EventIds {
  const eventId = randomUUID();
  return { eventId, correlationId: eventId, causationId: "" };
}

export function cloudEventHeaders(ids: EventIds, type: string, service: string, time: Date): Record<string, string> {
  return {
    ce_specversion: "1.0",
    ce_id: ids.eventId,
    ce_source: `/${service}`,
    ce_type: type,
    ce_time: time.toISOString(),
    "content-type": "application/protobuf",
    ce_correlationid: ids.correlationId,
    ce_causationid: ids.causationId,
    traceparent: `00-${randomBytes(16).toString("hex")}-${randomBytes(8).toString("hex")}-01`,
  };
}
