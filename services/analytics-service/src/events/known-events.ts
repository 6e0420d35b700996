// The events analytics understands, by ce_type, and the topic each may arrive on.
import type { DescMessage } from "@bufbuild/protobuf";
import {
  EmailSentEventSchema,
  SMSSentEventSchema,
  type EmailSentEvent,
  type SMSSentEvent,
} from "../gen/polyglot/events/v1/notification_events_pb.js";
import {
  OrderCancelledEventSchema,
  OrderCreatedEventSchema,
  OrderShippedEventSchema,
  PaymentProcessedEventSchema,
  type OrderCancelledEvent,
  type OrderCreatedEvent,
  type OrderShippedEvent,
  type PaymentProcessedEvent,
} from "../gen/polyglot/events/v1/order_events_pb.js";
import {
  UserSignupEventSchema,
  UserUpdatedEventSchema,
  type UserSignupEvent,
  type UserUpdatedEvent,
} from "../gen/polyglot/events/v1/user_events_pb.js";
import type { ConsumedTopic } from "../config.js";

/** Every message analytics decodes; `$typeName` tells them apart. */
export type KnownEvent =
  | UserSignupEvent
  | UserUpdatedEvent
  | OrderCreatedEvent
  | OrderShippedEvent
  | PaymentProcessedEvent
  | OrderCancelledEvent
  | EmailSentEvent
  | SMSSentEvent;

export interface EventRoute {
  readonly topic: ConsumedTopic;
  readonly schema: DescMessage;
}

/** ce_type -> schema and topic, as the contract's topic table lists them. */
export const eventRoutes: ReadonlyMap<string, EventRoute> = new Map<string, EventRoute>(
  (
    [
      ["user-events", UserSignupEventSchema],
      ["user-events", UserUpdatedEventSchema],
      ["order-events", OrderCreatedEventSchema],
      ["order-events", PaymentProcessedEventSchema],
      ["order-events", OrderShippedEventSchema],
      ["order-events", OrderCancelledEventSchema],
      ["notification-events", EmailSentEventSchema],
      ["notification-events", SMSSentEventSchema],
    ] as const
  ).map(([topic, schema]) => [schema.typeName, { topic, schema }]),
);

/** The short name shown to people: `polyglot.events.v1.OrderCreatedEvent` -> `OrderCreatedEvent`. */
export function shortTypeName(ceType: string): string {
  return ceType.slice(ceType.lastIndexOf(".") + 1);
}

/** The language each producing service is written in, for the activity feed and chains. */
export function serviceLanguage(service: string): string {
  switch (service) {
    case "user-service":
      return "java";
    case "order-service":
      return "go";
    case "notification-service":
      return "python";
    case "analytics-service":
      return "typescript";
    default:
      return "unknown";
  }
}
