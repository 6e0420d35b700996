// analytics-service (TypeScript): its contract probe and the view its counting step must receive.
// The probe (services/analytics-service/src/contract-probe.ts) prints, per event handed to the
// counting step, {type, view} with
//   view = { topic, partition, event_id, source (ce_source without "/"), time (ce_time as written),
//            correlation_id, causation_id, traceparent,
//            message: every field of the message by its proto name }
// and in `message`: enums as analytics' labels (the value name without its enum's prefix, lower
// case: "mobile", "pending", "order_confirmation"), Money as {currency_code, amount: exact decimal
// text with at least two fraction digits}, Timestamps as RFC 3339 UTC with nine fraction digits,
// int64 as decimal text, unset messages as null, lists in order, maps as objects.
// Computed here from the reference decode (canonical protobuf JSON), not from analytics' code.
import path from "node:path";
import type { DescEnum, DescField, DescMessage, JsonObject, JsonValue } from "@bufbuild/protobuf";
import { ScalarType } from "@bufbuild/protobuf";
import { eventSchema } from "../../../cli/src/events/registry.js";
import type { EventRecord } from "../../../cli/src/events/event-log.js";
import type { ConsumerContract } from "../consumer-contract.js";

const serviceDir = path.join("services", "analytics-service");

/** Every type analytics counts, with the one topic it may arrive on. */
const handled: Readonly<Record<string, string>> = {
  "polyglot.events.v1.UserSignupEvent": "user-events",
  "polyglot.events.v1.UserUpdatedEvent": "user-events",
  "polyglot.events.v1.OrderCreatedEvent": "order-events",
  "polyglot.events.v1.PaymentProcessedEvent": "order-events",
  "polyglot.events.v1.OrderShippedEvent": "order-events",
  "polyglot.events.v1.OrderCancelledEvent": "order-events",
  "polyglot.events.v1.EmailSentEvent": "notification-events",
  "polyglot.events.v1.SMSSentEvent": "notification-events",
};

/** "SIGNUP_SOURCE_MOBILE" -> "mobile": the prefix is the one of the enum's zero value, "..._UNSPECIFIED". */
function enumLabel(desc: DescEnum, json: JsonValue | undefined): string {
  const zero = desc.values.find((v) => v.number === 0)?.name ?? "";
  const prefix = zero.endsWith("UNSPECIFIED") ? zero.slice(0, -"UNSPECIFIED".length) : "";
  if (json === undefined || json === null) return zero.slice(prefix.length).toLowerCase();
  if (typeof json === "number") return desc.values.find((v) => v.number === json)?.name.slice(prefix.length).toLowerCase() ?? String(json);
  return String(json).slice(prefix.length).toLowerCase();
}

/** Canonical JSON Money {currencyCode, units: "29", nanos: 990000000} -> "29.99". */
function moneyView(json: JsonObject): JsonValue {
  const nanosTotal = BigInt(String(json.units ?? "0")) * 1_000_000_000n + BigInt(Number(json.nanos ?? 0));
  const negative = nanosTotal < 0n;
  const abs = negative ? -nanosTotal : nanosTotal;
  let fraction = (abs % 1_000_000_000n).toString().padStart(9, "0");
  while (fraction.length > 2 && fraction.endsWith("0")) fraction = fraction.slice(0, -1);
  return { currency_code: String(json.currencyCode ?? ""), amount: `${negative ? "-" : ""}${abs / 1_000_000_000n}.${fraction}` };
}

/** Canonical JSON writes 0, 3, 6 or 9 fraction digits; the view always nine. */
function timestampView(json: string): string {
  const match = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(json);
  if (match === null) throw new Error(`not a canonical JSON timestamp: ${json}`);
  return `${match[1]}.${(match[2] ?? "").padEnd(9, "0")}Z`;
}

function scalarDefault(scalar: ScalarType): JsonValue {
  switch (scalar) {
    case ScalarType.STRING:
    case ScalarType.BYTES:
      return "";
    case ScalarType.BOOL:
      return false;
    case ScalarType.INT64:
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
    case ScalarType.SINT64:
      return "0";
    default:
      return 0;
  }
}

function singular(field: DescField, json: JsonValue | undefined, kind: "scalar" | "enum" | "message"): JsonValue {
  if (kind === "enum" && field.enum !== undefined) return enumLabel(field.enum, json);
  if (kind === "message" && field.message !== undefined) return json === undefined || json === null ? null : messageView(field.message, json);
  if (json === undefined || json === null) return field.scalar === undefined ? null : scalarDefault(field.scalar);
  return json;
}

function messageView(schema: DescMessage, json: JsonValue): JsonValue {
  if (schema.typeName === "polyglot.common.v1.Money") return moneyView(json as JsonObject);
  if (schema.typeName === "google.protobuf.Timestamp") return timestampView(String(json));
  const object = json as JsonObject;
  const view: JsonObject = {};
  for (const field of schema.fields) {
    const value = object[field.jsonName];
    switch (field.fieldKind) {
      case "list":
        view[field.name] = ((value ?? []) as JsonValue[]).map((v) => singular(field, v, field.listKind));
        break;
      case "map":
        view[field.name] = Object.fromEntries(Object.entries((value ?? {}) as JsonObject).map(([k, v]) => [k, singular(field, v, field.mapKind)]));
        break;
      default:
        view[field.name] = singular(field, value, field.fieldKind);
    }
  }
  return view;
}

export const analyticsService: ConsumerContract = {
  service: "analytics-service",
  language: "TypeScript",
  topics: ["user-events", "order-events", "notification-events"],
  // The service's own compile step (the tsc half of `npm run build`; `./polyglot up` ran npm ci).
  build: [{ cwd: serviceDir, command: "npx", args: ["--no-install", "tsc", "-p", "tsconfig.build.json"] }],
  probe: (_root, bootstrap, group) => ({
    cwd: serviceDir,
    // The Node that runs the tests: the CLI's pinned 24.x.
    command: process.execPath,
    args: ["dist/contract-probe.js", "--bootstrap", bootstrap, "--group", group],
    env: { LOG_LEVEL: "warn" },
  }),
  expectedView(record: EventRecord): JsonValue | undefined {
    if (handled[record.type] !== record.topic || record.value === undefined) return undefined;
    const schema = eventSchema(record.type);
    if (schema === undefined) return undefined;
    const h = record.headers;
    const source = h.ce_source ?? "";
    return {
      topic: record.topic,
      partition: record.partition,
      event_id: h.ce_id ?? "",
      source: source.startsWith("/") ? source.slice(1) : source,
      time: h.ce_time ?? "",
      correlation_id: h.ce_correlationid ?? "",
      causation_id: h.ce_causationid ?? "",
      traceparent: h.traceparent ?? "",
      message: messageView(schema, record.value),
    };
  },
};
