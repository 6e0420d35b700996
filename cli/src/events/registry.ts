// Every event type of the contract, looked up by its `ce_type` header (the full protobuf name),
// so a reader decodes a record without trying parser after parser.
import { createRegistry, fromBinary, toJson, type DescMessage, type JsonObject } from "@bufbuild/protobuf";
import { file_polyglot_events_v1_analytics_events } from "../gen/polyglot/events/v1/analytics_events_pb.js";
import { file_polyglot_events_v1_notification_events } from "../gen/polyglot/events/v1/notification_events_pb.js";
import { file_polyglot_events_v1_order_events } from "../gen/polyglot/events/v1/order_events_pb.js";
import { file_polyglot_events_v1_user_events } from "../gen/polyglot/events/v1/user_events_pb.js";

export const eventRegistry = createRegistry(
  file_polyglot_events_v1_user_events,
  file_polyglot_events_v1_order_events,
  file_polyglot_events_v1_notification_events,
  file_polyglot_events_v1_analytics_events,
);

/** The message descriptor for a `ce_type`, or undefined for a type outside the contract. */
export function eventSchema(ceType: string): DescMessage | undefined {
  return eventRegistry.getMessage(ceType);
}

/** Decodes a record value into canonical protobuf JSON; throws on bytes that are not that type. */
export function decodeEvent(schema: DescMessage, value: Uint8Array): JsonObject {
  return toJson(schema, fromBinary(schema, value), { registry: eventRegistry }) as JsonObject;
}
