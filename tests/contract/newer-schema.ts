// Records as a producer on a newer schema writes them: a valid message plus fields this schema
// does not know (field numbers >= 1000, each wire type), with the contract's headers and ids of
// their own. A consumer must hand such a record to its handler as if the extra fields were absent.
import { randomUUID } from "node:crypto";
import type { MessageToProduce } from "@platformatic/kafka";
import { fromJson, toBinary, type JsonObject } from "@bufbuild/protobuf";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import type { EventRecord } from "../../cli/src/events/event-log.js";
import { signupSteps, updateSteps, type ChainStep } from "./scenario.js";
import { eventRegistry, eventSchema } from "../../cli/src/events/registry.js";
import { cloudEventHeaders, type EventIds } from "../support/cloud-events.js";

/** Fields 1000-1004: a varint, a string, a fixed32, a fixed64 and a nested message. */
export function unknownFields(): Uint8Array {
  return new BinaryWriter()
    .tag(1000, WireType.Varint)
    .uint64(123_456_789_012_345n)
    .tag(1001, WireType.LengthDelimited)
    .string("a field from a newer schema: ünïcödé")
    .tag(1002, WireType.Bit32)
    .fixed32(0xdeadbeef)
    .tag(1003, WireType.Bit64)
    .fixed64(0x0123456789abcdefn)
    .tag(1004, WireType.LengthDelimited)
    .fork()
    .tag(1, WireType.Varint)
    .int32(7)
    .tag(2, WireType.LengthDelimited)
    .string("nested")
    .join()
    .finish();
}

/**
 * The newer-schema twin of `record` (a record a real producer wrote): the same message with ids
 * of its own in its EventMetadata and headers, plus unknown fields, for the same topic and key.
 */
export function newerSchemaTwin(record: EventRecord, service: string): { message: MessageToProduce<string, Buffer, string, string>; ids: EventIds } {
  const schema = eventSchema(record.type);
  if (schema === undefined || record.value === undefined) throw new Error(`no reference decode of ${record.type}`);
  const eventId = randomUUID();
  const ids: EventIds = { eventId, correlationId: eventId, causationId: "" };
  const json: JsonObject = {
    ...record.value,
    eventMetadata: { ...((record.value.eventMetadata ?? {}) as JsonObject), eventId, correlationId: eventId, causationId: "" },
  };
  const known = toBinary(schema, fromJson(schema, json, { registry: eventRegistry }));
  const value = Buffer.concat([known, unknownFields()]);
  return {
    ids,
    message: { topic: record.topic, key: record.key, value, headers: cloudEventHeaders(ids, record.type, service, new Date()) },
  };
}

const mail = (template: string): ChainStep => ({ type: "polyglot.events.v1.EmailSentEvent", template });
const sms: ChainStep = { type: "polyglot.events.v1.SMSSentEvent" };

/**
 * What the real services do with a twin (they read the topics too), as events in the twin's own
 * chain, so the suite can wait for them and hand a quiet stack to the next suite. A twin sign-up
 * gets a welcome order of its own (its id derives from the sign-up's event id) with its whole
 * chain; a twin of an order event makes notification-service write again, while the saga skips
 * it (the order has moved on); nobody reacts to payments and notifications.
 */
export function twinConsequences(type: string): readonly ChainStep[] {
  switch (type) {
    case "polyglot.events.v1.UserSignupEvent":
      return signupSteps.slice(1);
    case "polyglot.events.v1.UserUpdatedEvent":
      return updateSteps.slice(1);
    case "polyglot.events.v1.OrderCreatedEvent":
      return [mail("order_confirmation")];
    case "polyglot.events.v1.OrderShippedEvent":
      return [mail("shipping_notification"), sms];
    case "polyglot.events.v1.OrderCancelledEvent":
      return [mail("order_cancelled")];
    default:
      return [];
  }
}
