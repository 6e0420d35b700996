// notification-service (Python): consumes user-events (Java producer) and order-events (Go producer).
// Its probe, services/notification-service/src/notification/contract_probe.py, runs the service's
// real consumer and dispatcher with a recorder in place of NotificationService; the views below are
// what NotificationService's handlers read, computed from the reference protobuf JSON decode alone.
import path from "node:path";
import type { JsonObject, JsonValue } from "@bufbuild/protobuf";
import type { EventRecord } from "../../../cli/src/events/event-log.js";
import type { ConsumerContract, ProbeCommand } from "../consumer-contract.js";

const serviceDir = "services/notification-service";
const topics = ["user-events", "order-events"] as const;
const NANOS_PER_UNIT = 1_000_000_000n;

/** A field of a protobuf JSON object as an object; undefined when absent (an unset message field). */
function objectField(value: JsonObject, key: string): JsonObject | undefined {
  const field = value[key];
  if (field === undefined || field === null) return undefined;
  if (typeof field !== "object" || Array.isArray(field)) throw new Error(`${key} is not a message in protobuf JSON`);
  return field;
}

/** A string field; protobuf JSON leaves out the empty string. */
function text(value: JsonObject, key: string): string {
  const field = value[key];
  return typeof field === "string" ? field : "";
}

/** A scalar number field (int32, double: NaN and the infinities stay the strings protobuf JSON writes); 0 when left out. */
function numeric(value: JsonObject, key: string): JsonValue {
  return value[key] ?? 0;
}

/** An enum by its name (a number the schema does not know stays a number); the zero value when left out. */
function enumName(value: JsonObject, key: string, zero: string): JsonValue {
  return value[key] ?? zero;
}

function textList(value: JsonObject, key: string): string[] {
  const field = value[key];
  return Array.isArray(field) ? field.map((item) => String(item)) : [];
}

/** Nano units as exact decimal text, plain, without trailing fractional zeros: 29.99, 29, -1.25. */
export function decimalText(totalNanos: bigint): string {
  const sign = totalNanos < 0n ? "-" : "";
  const magnitude = totalNanos < 0n ? -totalNanos : totalNanos;
  const fraction = (magnitude % NANOS_PER_UNIT).toString().padStart(9, "0").replace(/0+$/, "");
  return `${sign}${magnitude / NANOS_PER_UNIT}${fraction === "" ? "" : `.${fraction}`}`;
}

/** polyglot.common.v1.Money (units is an int64 string in protobuf JSON); null when the field is unset. */
function money(value: JsonObject, key: string): JsonValue {
  const field = objectField(value, key);
  if (field === undefined) return null;
  const units = BigInt(String(field.units ?? 0));
  const nanos = BigInt(Number(field.nanos ?? 0));
  return { currency_code: text(field, "currencyCode"), amount: decimalText(units * NANOS_PER_UNIT + nanos) };
}

/** What the handler gets from the envelope: the dispatcher's Trigger, built from the ce_* headers. */
function envelope(record: EventRecord): JsonObject {
  const eventId = record.headers.ce_id ?? "";
  return {
    event_id: eventId,
    // An event without a correlation id starts its own chain.
    correlation_id: record.headers.ce_correlationid || eventId,
    traceparent: record.headers.traceparent ?? "",
  };
}

type ViewOf = (value: JsonObject) => JsonObject;

function orderItem(item: JsonValue): JsonObject {
  if (item === null || typeof item !== "object" || Array.isArray(item)) throw new Error("an order item is not a message");
  return {
    product_id: text(item, "productId"),
    product_name: text(item, "productName"),
    quantity: numeric(item, "quantity"),
    unit_price: numeric(item, "unitPrice"),
    unit_price_money: money(item, "unitPriceMoney"),
  };
}

/** The types that reach a NotificationService handler; PaymentProcessedEvent is acknowledged, handed to none. */
const views: Readonly<Record<string, ViewOf>> = {
  "polyglot.events.v1.UserSignupEvent": (v) => ({
    user_id: text(v, "userId"),
    email: text(v, "email"),
    name: text(v, "name"),
    phone_number: text(v, "phoneNumber"),
    source: enumName(v, "source", "SIGNUP_SOURCE_UNSPECIFIED"),
  }),
  "polyglot.events.v1.UserUpdatedEvent": (v) => ({
    user_id: text(v, "userId"),
    email: text(v, "email"),
    name: text(v, "name"),
    phone_number: text(v, "phoneNumber"),
    updated_fields: textList(v, "updatedFields"),
    previous_email: text(v, "previousEmail"),
  }),
  "polyglot.events.v1.OrderCreatedEvent": (v) => ({
    order_id: text(v, "orderId"),
    user_id: text(v, "userId"),
    status: enumName(v, "status", "ORDER_STATUS_UNSPECIFIED"),
    currency: text(v, "currency"),
    total_amount: numeric(v, "totalAmount"),
    total_money: money(v, "totalMoney"),
    items: Array.isArray(v.items) ? v.items.map(orderItem) : [],
  }),
  "polyglot.events.v1.OrderShippedEvent": (v) => ({
    order_id: text(v, "orderId"),
    user_id: text(v, "userId"),
    tracking_number: text(v, "trackingNumber"),
    carrier: text(v, "carrier"),
  }),
  "polyglot.events.v1.OrderCancelledEvent": (v) => ({
    order_id: text(v, "orderId"),
    user_id: text(v, "userId"),
    reason: text(v, "reason"),
  }),
};

export const notificationService: ConsumerContract = {
  service: "notification-service",
  language: "Python",
  topics,
  // The venv (services/notification-service/.venv, an editable install of src/ and gen/) exists once the stack is up.
  build: [],
  probe(root: string, bootstrap: string, group: string): ProbeCommand {
    return {
      cwd: serviceDir,
      command: path.join(root, serviceDir, ".venv", "bin", "python"),
      args: ["-m", "notification.contract_probe", "--bootstrap", bootstrap, "--group", group],
      env: { PYTHONUNBUFFERED: "1" },
    };
  },
  expectedView(record: EventRecord): JsonValue | undefined {
    const view = views[record.type];
    if (view === undefined || record.value === undefined || !(topics as readonly string[]).includes(record.topic)) return undefined;
    return { ...envelope(record), ...view(record.value) };
  },
};
