// order-service (Go) as a consumer: its real consumer loop (internal/kafka) with the business
// handlers replaced by a recorder (cmd/contract-probe). The views below are what its Handler
// (user-events) and SagaHandler (order-events) receive, computed from the reference decode:
//
//   UserSignupEvent       {user_id, email, name, event_id, correlation_id, traceparent}
//   UserUpdatedEvent      {user_id, email, name, event_id, correlation_id, traceparent}
//   OrderCreatedEvent     {order_id, status, event_id, correlation_id, traceparent}
//   PaymentProcessedEvent {order_id, approved, event_id, correlation_id, traceparent}
//
// OrderShippedEvent and OrderCancelledEvent end a saga: consumed, handed to no handler.
import path from "node:path";
import { fromJson, type DescEnum, type DescMessage, type JsonObject, type JsonValue, type MessageShape } from "@bufbuild/protobuf";
import type { EventRecord } from "../../../cli/src/events/event-log.js";
import {
  OrderCreatedEventSchema,
  OrderStatusSchema,
  PaymentProcessedEventSchema,
  PaymentStatus,
} from "../../../cli/src/gen/polyglot/events/v1/order_events_pb.js";
import { UserSignupEventSchema, UserUpdatedEventSchema } from "../../../cli/src/gen/polyglot/events/v1/user_events_pb.js";
import type { ConsumerContract } from "../consumer-contract.js";

const serviceDir = "services/order-service";
const probeBinary = ".polyglot/contract/order-service-probe";

/** The ids the consumer reads from the record's headers (an absent header reads as ""). */
function envelope(record: EventRecord, correlationId: string): JsonObject {
  return {
    event_id: record.headers.ce_id ?? "",
    correlation_id: correlationId,
    traceparent: record.headers.traceparent ?? "",
  };
}

function decoded<Desc extends DescMessage>(schema: Desc, record: EventRecord): MessageShape<Desc> {
  if (record.value === undefined) {
    throw new Error(`${record.topic}/${record.partition}@${record.offset}: no reference decode (${record.decodeError ?? "no value"})`);
  }
  return fromJson(schema, record.value);
}

/** Go's String() of an enum value: its proto name, or the number when the schema has no such value. */
function protoName(schema: DescEnum, value: number): string {
  return schema.value[value]?.name ?? String(value);
}

function userView(record: EventRecord): JsonValue | undefined {
  switch (record.type) {
    case UserSignupEventSchema.typeName: {
      const ev = decoded(UserSignupEventSchema, record);
      // A sign-up without ce_correlationid starts its chain under the metadata's id, else its own.
      const correlationId = record.headers.ce_correlationid || ev.eventMetadata?.correlationId || (record.headers.ce_id ?? "");
      return { user_id: ev.userId, email: ev.email, name: ev.name, ...envelope(record, correlationId) };
    }
    case UserUpdatedEventSchema.typeName: {
      const ev = decoded(UserUpdatedEventSchema, record);
      return { user_id: ev.userId, email: ev.email, name: ev.name, ...envelope(record, record.headers.ce_correlationid ?? "") };
    }
    default:
      return undefined;
  }
}

function sagaView(record: EventRecord): JsonValue | undefined {
  const correlationId = record.headers.ce_correlationid ?? "";
  switch (record.type) {
    case OrderCreatedEventSchema.typeName: {
      const ev = decoded(OrderCreatedEventSchema, record);
      const status = protoName(OrderStatusSchema, ev.status).replace(/^ORDER_STATUS_/, "");
      return { order_id: ev.orderId, status, ...envelope(record, correlationId) };
    }
    case PaymentProcessedEventSchema.typeName: {
      const ev = decoded(PaymentProcessedEventSchema, record);
      return { order_id: ev.orderId, approved: ev.status === PaymentStatus.APPROVED, ...envelope(record, correlationId) };
    }
    default:
      return undefined;
  }
}

export const orderService: ConsumerContract = {
  service: "order-service",
  language: "Go",
  topics: ["user-events", "order-events"],
  build: [{ cwd: serviceDir, command: "go", args: ["build", "-o", `../../${probeBinary}`, "./cmd/contract-probe"] }],
  probe: (root, bootstrap, group) => ({
    cwd: serviceDir,
    command: path.join(root, probeBinary),
    args: ["--bootstrap", bootstrap, "--group", group],
  }),
  expectedView(record) {
    switch (record.topic) {
      case "user-events":
        return userView(record);
      case "order-events":
        return sagaView(record);
      default:
        return undefined;
    }
  },
};
