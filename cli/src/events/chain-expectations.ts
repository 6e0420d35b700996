// The one definition of "a complete chain" for the burst suites (load, faults, scale-out) and
// `./polyglot chaos` (what it reports as chains completed after a fault):
// which events a sign-up and a posted order cause, on which topic, written by which service,
// caused by which earlier step. It follows the flow the services implement now
// (services/order-service/README.md "The saga", services/notification-service/README.md):
//
//   sign-up chain (correlation id of POST /api/users/signup)
//     UserSignupEvent                       user-events          root
//     ├─ OrderCreatedEvent (welcome order)  order-events         CONFIRMED, welcome-package, total 0
//     │  ├─ OrderShippedEvent               order-events         (saga)
//     │  │  └─ EmailSentEvent               notification-events  shipping_notification (saga)
//     │  └─ EmailSentEvent                  notification-events  order_confirmation
//     └─ EmailSentEvent                     notification-events  welcome
//   order chain (correlation id of POST /api/orders; totals under PAYMENT_LIMIT, so approved)
//     OrderCreatedEvent                     order-events         root, PENDING
//     ├─ PaymentProcessedEvent              order-events         APPROVED (saga)
//     │  └─ OrderShippedEvent               order-events         (saga)
//     │     └─ EmailSentEvent               notification-events  shipping_notification (saga)
//     └─ EmailSentEvent                     notification-events  order_confirmation
//
// Two facts of a chain change its shape (ChainFacts): a user with a phone number also gets an
// SMSSentEvent beside each shipping e-mail, and an order above PAYMENT_LIMIT is declined:
//     ├─ PaymentProcessedEvent              order-events         DECLINED (saga)
//     │  └─ OrderCancelledEvent             order-events         (saga)
//     │     └─ EmailSentEvent               notification-events  order_cancelled (saga)
// The burst users give no phone number and order under the limit. With ORDER_SAGA=off
// (order-service README) the steps marked "saga" are not part of the flow. When the implemented
// flow changes, change it here: the checks and the expected analytics numbers are derived from
// these lists.
import type { JsonObject } from "@bufbuild/protobuf";

export const typePrefix = "polyglot.events.v1.";

export interface Step {
  /** A name for messages ("welcome order shipped"). */
  readonly name: string;
  /** The message name, without the package (`OrderCreatedEvent`). */
  readonly type: string;
  readonly topic: "user-events" | "order-events" | "notification-events";
  /** `ce_source`. */
  readonly source: "/user-service" | "/order-service" | "/notification-service";
  /** The step whose event id is this step's causation id; undefined for the chain's root. */
  readonly cause?: string;
  /** What the decoded value must show (tells two steps of one type apart, e.g. e-mail templates). */
  readonly matches?: (value: JsonObject) => boolean;
  /** Part of the payment and shipping saga of order-service. */
  readonly saga?: true;
}

const productIds = (v: JsonObject): string[] => ((v.items ?? []) as { productId?: string }[]).map((i) => i.productId ?? "");
const template = (id: string) => (v: JsonObject) => v.templateId === id;

export const welcomeProduct = "welcome-package";

/** What the services decide per chain and the chain's steps follow. */
export interface ChainFacts {
  /** The user gave a phone number: notification-service texts them when an order ships. */
  readonly phone?: boolean;
  /** order-service declined the payment (above PAYMENT_LIMIT): the order is cancelled, not shipped. */
  readonly declined?: boolean;
}

/** The SMS notification-service sends beside the shipping e-mail of `shipped` to a user with a phone. */
const shippingSms = (prefix: string, shipped: string): Step => ({
  name: `${prefix}shipping SMS`,
  type: "SMSSentEvent",
  topic: "notification-events",
  source: "/notification-service",
  cause: shipped,
  saga: true,
});

const signupSteps: readonly Step[] = [
  { name: "sign-up", type: "UserSignupEvent", topic: "user-events", source: "/user-service" },
  {
    name: "welcome order",
    type: "OrderCreatedEvent",
    topic: "order-events",
    source: "/order-service",
    cause: "sign-up",
    matches: (v) => v.status === "ORDER_STATUS_CONFIRMED" && productIds(v).join() === welcomeProduct,
  },
  { name: "welcome order shipped", type: "OrderShippedEvent", topic: "order-events", source: "/order-service", cause: "welcome order", saga: true },
  { name: "welcome e-mail", type: "EmailSentEvent", topic: "notification-events", source: "/notification-service", cause: "sign-up", matches: template("welcome") },
  {
    name: "welcome order confirmation e-mail",
    type: "EmailSentEvent",
    topic: "notification-events",
    source: "/notification-service",
    cause: "welcome order",
    matches: template("order_confirmation"),
  },
  {
    name: "welcome order shipping e-mail",
    type: "EmailSentEvent",
    topic: "notification-events",
    source: "/notification-service",
    cause: "welcome order shipped",
    matches: template("shipping_notification"),
    saga: true,
  },
];

const orderRoot: readonly Step[] = [
  { name: "order", type: "OrderCreatedEvent", topic: "order-events", source: "/order-service", matches: (v) => v.status === "ORDER_STATUS_PENDING" },
  { name: "order confirmation e-mail", type: "EmailSentEvent", topic: "notification-events", source: "/notification-service", cause: "order", matches: template("order_confirmation") },
];

/** order-service's payment decision on the order, approved or declined. */
const payment = (status: "PAYMENT_STATUS_APPROVED" | "PAYMENT_STATUS_DECLINED"): Step => ({
  name: "payment",
  type: "PaymentProcessedEvent",
  topic: "order-events",
  source: "/order-service",
  cause: "order",
  matches: (v) => v.status === status,
  saga: true,
});

const orderApprovedSteps: readonly Step[] = [
  ...orderRoot,
  payment("PAYMENT_STATUS_APPROVED"),
  { name: "order shipped", type: "OrderShippedEvent", topic: "order-events", source: "/order-service", cause: "payment", saga: true },
  {
    name: "order shipping e-mail",
    type: "EmailSentEvent",
    topic: "notification-events",
    source: "/notification-service",
    cause: "order shipped",
    matches: template("shipping_notification"),
    saga: true,
  },
];

const orderDeclinedSteps: readonly Step[] = [
  ...orderRoot,
  payment("PAYMENT_STATUS_DECLINED"),
  { name: "order cancelled", type: "OrderCancelledEvent", topic: "order-events", source: "/order-service", cause: "payment", saga: true },
  {
    name: "order cancellation e-mail",
    type: "EmailSentEvent",
    topic: "notification-events",
    source: "/notification-service",
    cause: "order cancelled",
    matches: template("order_cancelled"),
    saga: true,
  },
];

/** True unless order-service runs with ORDER_SAGA=off (its README: `on` by default). */
export function sagaOn(env: NodeJS.ProcessEnv = process.env): boolean {
  return (env.ORDER_SAGA ?? "on").trim().toLowerCase() !== "off";
}

const implemented = (steps: readonly Step[]): readonly Step[] => (sagaOn() ? steps : steps.filter((s) => s.saga !== true));

/** The events one sign-up causes. */
export function signupChainOf(facts: ChainFacts = {}): readonly Step[] {
  return implemented(facts.phone === true ? [...signupSteps, shippingSms("welcome order ", "welcome order shipped")] : signupSteps);
}

/** The events one posted order causes. */
export function orderChainOf(facts: ChainFacts = {}): readonly Step[] {
  if (facts.declined === true) return implemented(orderDeclinedSteps);
  return implemented(facts.phone === true ? [...orderApprovedSteps, shippingSms("order ", "order shipped")] : orderApprovedSteps);
}

/** The events one sign-up without a phone number causes (the burst users'). */
export const signupChain: readonly Step[] = signupChainOf();
/** The events one posted order, approved, of a user without a phone number causes. */
export const orderChain: readonly Step[] = orderChainOf();

/** The analytics counters (GET /metrics) a burst must move, as differences. */
export interface CounterDelta {
  readonly userSignups: number;
  readonly ordersCreated: number;
  readonly emailsSent: number;
  readonly revenueCents: number;
  readonly paymentsDeclined: number;
}

const countOf = (steps: readonly Step[], type: string): number => steps.filter((s) => s.type === type).length;

/** What `signups` sign-ups and posted orders worth `orderCents` (each approved) add to the counters. */
export function expectedCounters(signups: number, orderCents: readonly number[]): CounterDelta {
  const perChain = (type: string): number => signups * countOf(signupChain, type) + orderCents.length * countOf(orderChain, type);
  return {
    userSignups: perChain("UserSignupEvent"),
    ordersCreated: perChain("OrderCreatedEvent"),
    emailsSent: perChain("EmailSentEvent"),
    // The welcome order is free: revenue is the posted orders' totals only.
    revenueCents: orderCents.reduce((a, b) => a + b, 0),
    paymentsDeclined: 0,
  };
}

/** Events per type that the burst adds (analytics `eventsByType` must grow by exactly these). */
export function expectedEventsByType(signups: number, orders: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of signupChain) out[s.type] = (out[s.type] ?? 0) + signups;
  for (const s of orderChain) out[s.type] = (out[s.type] ?? 0) + orders;
  return out;
}
