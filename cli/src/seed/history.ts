// One chain of seeded history: the ids, times and values of a sign-up and everything the services
// write for it (order-service's welcome order and its shipping, notification-service's three
// e-mails), derived the way the services derive them, so every store and topic agrees on them.
import { randomBytes, randomUUID } from "node:crypto";
import { v5 as uuidv5 } from "uuid";

/** order-service's namespace for the name-based ids it derives (internal/orders/service.go). */
const orderIdNamespace = "4f8a3c2e-6d1b-5e7a-9c0d-2b3e4f5a6b7c";
const derived = (name: string): string => uuidv5(name, orderIdNamespace);

/** The milliseconds between a chain's sign-up and each later step, as a quiet stack takes them. */
export const stepOffsetsMs = { welcomeMail: 10, orderCreated: 20, confirmationMail: 30, shipped: 40, shippingMail: 50 } as const;

export interface HistoryChain {
  readonly index: number;
  readonly userId: string;
  readonly email: string;
  readonly name: string;
  readonly correlationId: string;
  readonly signupEventId: string;
  readonly signedUpAt: Date;
  /** The sign-up request's trace: every event of the chain continues it. */
  readonly traceId: string;
  /** The traceparent of the sign-up event, which order-service keeps on the welcome order. */
  readonly signupTraceparent: string;
  readonly orderId: string;
  readonly orderEventId: string;
  readonly shippedEventId: string;
  readonly trackingNumber: string;
  readonly mails: readonly HistoryMail[];
}

export type MailKind = "welcome" | "order_confirmation" | "shipping_notification";

export interface HistoryMail {
  readonly kind: MailKind;
  readonly eventId: string;
  /** The event that caused the mail (its trigger in notification-service's sent-log). */
  readonly triggerEventId: string;
  readonly at: Date;
  readonly subject: string;
  readonly orderId: string;
}

/**
 * The ids order-service derives for the welcome order of the sign-up `signupEventId`
 * (internal/orders/service.go WelcomeOrderID, saga.go next and ship), so a redelivered sign-up
 * finds its seeded order as it would find its own.
 */
export function welcomeOrderIds(signupEventId: string): { orderId: string; orderEventId: string; shippedEventId: string; trackingNumber: string } {
  const orderId = derived(`welcome-order/${signupEventId}`);
  const orderEventId = derived(`order-created/${orderId}`);
  return {
    orderId,
    orderEventId,
    shippedEventId: derived(`order-shipped/${orderEventId}`),
    trackingNumber: `PP${derived(`tracking/${orderId}`).replaceAll("-", "").toUpperCase().slice(0, 12)}`,
  };
}

const at = (start: Date, offsetMs: number): Date => new Date(start.getTime() + offsetMs);

/** A W3C traceparent in trace `traceId` with a new span id. */
export function traceparent(traceId: string): string {
  return `00-${traceId}-${randomBytes(8).toString("hex")}-01`;
}

/**
 * Chain `index` of a seed run `run` (which makes its e-mail addresses unique), signed up at
 * `signedUpAt`. The welcome order's id, its event id, the shipping event's id and the tracking
 * number follow order-service's derivations from the sign-up's event id.
 */
export function historyChain(run: string, index: number, signedUpAt: Date): HistoryChain {
  const signupEventId = randomUUID();
  const { orderId, orderEventId, shippedEventId, trackingNumber } = welcomeOrderIds(signupEventId);
  const name = `History User ${index}`;
  const traceId = randomBytes(16).toString("hex");
  return {
    index,
    userId: randomUUID(),
    email: `history-${run}-${index}@example.com`,
    name,
    correlationId: `history-${run}-${index}`,
    signupEventId,
    signedUpAt,
    traceId,
    signupTraceparent: traceparent(traceId),
    orderId,
    orderEventId,
    shippedEventId,
    trackingNumber,
    mails: [
      { kind: "welcome", eventId: randomUUID(), triggerEventId: signupEventId, at: at(signedUpAt, stepOffsetsMs.welcomeMail), subject: `Welcome to Kafka Polyglot, ${name}!`, orderId: "" },
      { kind: "order_confirmation", eventId: randomUUID(), triggerEventId: orderEventId, at: at(signedUpAt, stepOffsetsMs.confirmationMail), subject: `Your order ${orderId} is confirmed`, orderId },
      { kind: "shipping_notification", eventId: randomUUID(), triggerEventId: shippedEventId, at: at(signedUpAt, stepOffsetsMs.shippingMail), subject: `Your order ${orderId} is on its way`, orderId },
    ],
  };
}

export const orderCreatedAt = (c: HistoryChain): Date => at(c.signedUpAt, stepOffsetsMs.orderCreated);
export const shippedAt = (c: HistoryChain): Date => at(c.signedUpAt, stepOffsetsMs.shipped);
