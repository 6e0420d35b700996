// Reads the few fields analytics shows from each kind of event.
import type { DescEnum } from "@bufbuild/protobuf";
import { EmailTypeSchema, SMSTypeSchema } from "../gen/polyglot/events/v1/notification_events_pb.js";
import { OrderStatusSchema, PaymentStatusSchema } from "../gen/polyglot/events/v1/order_events_pb.js";
import { SignupSourceSchema } from "../gen/polyglot/events/v1/user_events_pb.js";
import type { KnownEvent } from "../events/known-events.js";
import { formatNanos, toNanos } from "./money.js";

/**
 * `ORDER_STATUS_PENDING` -> `pending`, `SMS_TYPE_ORDER_UPDATE` -> `order_update`; an unknown
 * number -> its digits. The prefix is the zero value's (`..._UNSPECIFIED`, as buf lint demands):
 * protobuf-es's localName keeps it when the enum's name does not spell it (SMSType).
 */
export function enumLabel(schema: DescEnum, value: number): string {
  const desc = schema.value[value];
  if (desc === undefined) return String(value);
  const zero = schema.value[0]?.name ?? "";
  const prefix = zero.endsWith("UNSPECIFIED") ? zero.slice(0, -"UNSPECIFIED".length) : "";
  return (prefix !== "" && desc.name.startsWith(prefix) ? desc.name.slice(prefix.length) : desc.localName).toLowerCase();
}

export function signupSourceLabel(value: number): string {
  return enumLabel(SignupSourceSchema, value);
}

export function orderStatusLabel(value: number): string {
  return enumLabel(OrderStatusSchema, value);
}

const short = (id: string): string => id.slice(0, 8);

function moneyText(money: { currencyCode: string; units: bigint; nanos: number } | undefined): string {
  if (money === undefined) return "?";
  try {
    return `${formatNanos(toNanos(money))} ${money.currencyCode}`;
  } catch {
    return "invalid amount";
  }
}

/** One line for the activity feed and the chain view. */
export function summarize(message: KnownEvent): string {
  switch (message.$typeName) {
    case "polyglot.events.v1.UserSignupEvent":
      return `${message.email} signed up (${signupSourceLabel(message.source)})`;
    case "polyglot.events.v1.UserUpdatedEvent":
      return `${message.email} updated ${message.updatedFields.join(", ")}`;
    case "polyglot.events.v1.OrderCreatedEvent":
      return `order ${short(message.orderId)} ${moneyText(message.totalMoney)} ${orderStatusLabel(message.status)}`;
    case "polyglot.events.v1.PaymentProcessedEvent":
      return `payment for ${short(message.orderId)} ${moneyText(message.amount)} ${enumLabel(PaymentStatusSchema, message.status)}`;
    case "polyglot.events.v1.OrderShippedEvent":
      return `order ${short(message.orderId)} shipped by ${message.carrier}`;
    case "polyglot.events.v1.OrderCancelledEvent":
      return `order ${short(message.orderId)} cancelled: ${message.reason}`;
    case "polyglot.events.v1.EmailSentEvent":
      return `${enumLabel(EmailTypeSchema, message.emailType)} e-mail to ${message.emailAddress}`;
    case "polyglot.events.v1.SMSSentEvent":
      return `${enumLabel(SMSTypeSchema, message.smsType)} SMS to ${message.phoneNumber}`;
  }
}
