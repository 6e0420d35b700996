// What the counting step received for one event, as the contract probe prints it: every field of
// the decoded message in analytics' own terms, beside the envelope and where the record came from.
import type { DescField, DescMessage, JsonObject, JsonValue } from "@bufbuild/protobuf";
import { enumLabel } from "./analytics/describe.js";
import { formatNanos, toNanos, type MoneyLike } from "./analytics/money.js";
import { errorLine } from "./errors.js";
import type { AnalyticsEvent } from "./events/decode.js";
import { eventRoutes } from "./events/known-events.js";

/** One line of the probe's stdout: the ce_type and the view of what the handler received. */
export interface ProbeLine {
  readonly type: string;
  readonly view: JsonObject;
}

const moneyType = "polyglot.common.v1.Money";
const timestampType = "google.protobuf.Timestamp";

/** Exact decimal text, as analytics sums it; an amount analytics would refuse shows why. */
function moneyView(money: MoneyLike): JsonValue {
  try {
    return { currency_code: money.currencyCode, amount: formatNanos(toNanos(money)) };
  } catch (e: unknown) {
    return { currency_code: money.currencyCode, invalid: errorLine(e) };
  }
}

/** RFC 3339 UTC at the nanosecond analytics keeps: always nine fraction digits. */
export function timestampView(ts: { readonly seconds: bigint; readonly nanos: number }): string {
  const whole = new Date(Number(ts.seconds) * 1000).toISOString().slice(0, 19);
  return `${whole}.${String(ts.nanos).padStart(9, "0")}Z`;
}

function scalarView(value: unknown): JsonValue {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  return value as JsonValue;
}

function singularView(field: DescField, value: unknown, kind: "scalar" | "enum" | "message"): JsonValue {
  if (kind === "enum" && field.enum !== undefined) return enumLabel(field.enum, value as number);
  if (kind === "message" && field.message !== undefined) return value === undefined ? null : messageView(field.message, value);
  return scalarView(value);
}

/** Every field by its proto name: enums as analytics' labels, money exact, timestamps RFC 3339. */
export function messageView(schema: DescMessage, message: unknown): JsonValue {
  const record = message as Record<string, unknown>;
  if (schema.typeName === moneyType) return moneyView(record as unknown as MoneyLike);
  if (schema.typeName === timestampType) return timestampView(record as unknown as { seconds: bigint; nanos: number });
  const view: JsonObject = {};
  for (const field of schema.fields) {
    const value = record[field.localName];
    switch (field.fieldKind) {
      case "list":
        view[field.name] = (value as unknown[]).map((v) => singularView(field, v, field.listKind));
        break;
      case "map":
        view[field.name] = Object.fromEntries(
          Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, singularView(field, v, field.mapKind)]),
        );
        break;
      default:
        view[field.name] = singularView(field, value, field.fieldKind);
    }
  }
  return view;
}

/** The probe's line for one event handed to the counting step. */
export function eventView(event: AnalyticsEvent): ProbeLine {
  const { envelope, message } = event;
  const schema = eventRoutes.get(message.$typeName)?.schema;
  if (schema === undefined) throw new Error(`no schema for ${message.$typeName}`);
  return {
    type: envelope.type,
    view: {
      topic: event.topic,
      partition: event.partition,
      event_id: envelope.id,
      source: envelope.service,
      time: envelope.time,
      correlation_id: envelope.correlationId,
      causation_id: envelope.causationId,
      traceparent: envelope.traceparent,
      message: messageView(schema, message),
    },
  };
}
