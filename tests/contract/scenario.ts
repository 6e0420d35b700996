// Drives the three producing services over HTTP so that every message type of user-, order- and
// notification-events is written with rich values, and keeps the inputs and answers to check
// the records against. Each step waits (bounded) for the chain it starts before the next one,
// so the address every e-mail goes to is known.
import { randomUUID } from "node:crypto";
import type { EventLog, EventRecord } from "../../cli/src/events/event-log.js";
import type { DemoUrls } from "../../cli/src/demo/flow.js";
import { http, type HttpAnswer } from "../../cli/src/demo/http.js";
import { formatCents, toCents } from "../../cli/src/demo/money.js";

const t = (name: string): string => `polyglot.events.v1.${name}`;

/** One event a chain must hold: its type, the e-mail template for EmailSentEvent, and its cause. */
export interface ChainStep {
  readonly type: string;
  readonly template?: string;
  readonly cause?: { readonly type: string; readonly template?: string };
}

export const signupSteps: readonly ChainStep[] = [
  { type: t("UserSignupEvent") },
  { type: t("OrderCreatedEvent"), cause: { type: t("UserSignupEvent") } },
  { type: t("OrderShippedEvent"), cause: { type: t("OrderCreatedEvent") } },
  { type: t("EmailSentEvent"), template: "welcome", cause: { type: t("UserSignupEvent") } },
  { type: t("EmailSentEvent"), template: "order_confirmation", cause: { type: t("OrderCreatedEvent") } },
  { type: t("EmailSentEvent"), template: "shipping_notification", cause: { type: t("OrderShippedEvent") } },
  // The user gave a phone number: the shipping news goes out as an SMS too.
  { type: t("SMSSentEvent"), cause: { type: t("OrderShippedEvent") } },
];
export const updateSteps: readonly ChainStep[] = [
  { type: t("UserUpdatedEvent") },
  { type: t("EmailSentEvent"), template: "email_changed", cause: { type: t("UserUpdatedEvent") } },
];
const paidSteps: readonly ChainStep[] = [
  { type: t("OrderCreatedEvent") },
  { type: t("PaymentProcessedEvent"), cause: { type: t("OrderCreatedEvent") } },
  { type: t("OrderShippedEvent"), cause: { type: t("PaymentProcessedEvent") } },
  { type: t("EmailSentEvent"), template: "order_confirmation", cause: { type: t("OrderCreatedEvent") } },
  { type: t("EmailSentEvent"), template: "shipping_notification", cause: { type: t("OrderShippedEvent") } },
  { type: t("SMSSentEvent"), cause: { type: t("OrderShippedEvent") } },
];
const declinedSteps: readonly ChainStep[] = [
  { type: t("OrderCreatedEvent") },
  { type: t("PaymentProcessedEvent"), cause: { type: t("OrderCreatedEvent") } },
  { type: t("OrderCancelledEvent"), cause: { type: t("PaymentProcessedEvent") } },
  { type: t("EmailSentEvent"), template: "order_confirmation", cause: { type: t("OrderCreatedEvent") } },
  { type: t("EmailSentEvent"), template: "order_cancelled", cause: { type: t("OrderCancelledEvent") } },
];

export function stepMatches(record: EventRecord, step: { readonly type: string; readonly template?: string }): boolean {
  return record.type === step.type && (step.template === undefined || record.value?.templateId === step.template);
}

export interface ItemInput {
  readonly product_id: string;
  readonly product_name: string;
  readonly quantity: number;
  readonly price: number;
}

export interface OrderRun {
  readonly correlationId: string;
  readonly items: readonly ItemInput[];
  readonly totalCents: number;
  /** POST /api/orders. */
  readonly answer: Record<string, unknown>;
  /** GET /api/orders/{id} once its saga ended (history with each step's time). */
  readonly state: Record<string, unknown>;
  readonly steps: readonly ChainStep[];
}

export interface ContractRun {
  readonly userId: string;
  readonly email: string;
  readonly newEmail: string;
  readonly name: string;
  readonly newName: string;
  readonly phone: string;
  readonly source: string;
  readonly userAgent: string;
  readonly signup: { readonly correlationId: string; readonly answer: Record<string, unknown>; readonly steps: readonly ChainStep[] };
  /** PATCH /api/users/{id}: the user with created_at and updated_at. */
  readonly update: { readonly correlationId: string; readonly answer: Record<string, unknown>; readonly steps: readonly ChainStep[] };
  readonly welcome: { readonly state: Record<string, unknown> };
  readonly paid: OrderRun;
  readonly declined: OrderRun;
  /** order-service's PAYMENT_LIMIT, in cents. */
  readonly limitCents: number;
}

function body(answer: HttpAnswer, what: string, status: number): Record<string, unknown> {
  if (answer.status !== status) throw new Error(`${what} answered ${answer.status}, not ${status}: ${JSON.stringify(answer.body)}`);
  return answer.body as Record<string, unknown>;
}

async function waitForChain(events: EventLog, what: string, correlationId: string, steps: readonly ChainStep[], timeoutMs: number): Promise<void> {
  await events.waitFor(
    `${what} (${steps.length} events with correlation id ${correlationId})`,
    () => {
      const chain = events.chain(correlationId);
      return steps.every((s) => chain.some((r) => stepMatches(r, s)));
    },
    timeoutMs,
  );
}

/** The order-service's payment limit (its README: PAYMENT_LIMIT, default 1000.00), which the stack passes through from this environment. */
export function paymentLimitCents(env: NodeJS.ProcessEnv = process.env): number {
  return toCents(env.PAYMENT_LIMIT?.trim() || "1000.00");
}

export async function runScenario(urls: DemoUrls, events: EventLog, timeoutMs = 60_000): Promise<ContractRun> {
  const tag = randomUUID().slice(0, 8);
  const email = `contract+${tag}@example.com`;
  const newEmail = `contract.moved+${tag}@example.com`;
  const name = "Zoë Ünal-Øster 山田";
  const newName = "Zoë Ünal 山田 太郎";
  const phone = "+15551234567";
  const source = "mobile";
  // HTTP header values are ASCII: the non-ASCII goes into the name.
  const userAgent = `polyglot-contract-test/1.0 (+${tag})`;

  const signupCorrelation = randomUUID();
  const signup = body(
    await http.post(`${urls.user}/api/users/signup`, { email, name, phone, source }, { "x-correlation-id": signupCorrelation, "user-agent": userAgent }),
    "POST /api/users/signup",
    201,
  );
  const userId = String(signup.user_id);
  await waitForChain(events, "the sign-up's chain", signupCorrelation, signupSteps, timeoutMs);

  const updateCorrelation = randomUUID();
  const update = body(
    await http.patch(`${urls.user}/api/users/${userId}`, { email: newEmail, name: newName }, { "x-correlation-id": updateCorrelation }),
    "PATCH /api/users/{id}",
    200,
  );
  await waitForChain(events, "the profile change's chain", updateCorrelation, updateSteps, timeoutMs);

  const limitCents = paymentLimitCents();
  const placeOrder = async (items: readonly ItemInput[], steps: readonly ChainStep[]): Promise<OrderRun> => {
    const correlationId = randomUUID();
    const answer = body(
      await http.post(`${urls.order}/api/orders`, { user_id: userId, items }, { "x-correlation-id": correlationId }),
      "POST /api/orders",
      201,
    );
    await waitForChain(events, `the chain of order ${String(answer.order_id)}`, correlationId, steps, timeoutMs);
    const state = body(await http.get(`${urls.order}/api/orders/${String(answer.order_id)}`), "GET /api/orders/{id}", 200);
    const totalCents = items.reduce((sum, i) => sum + i.quantity * toCents(i.price), 0);
    return { correlationId, items, totalCents, answer, state, steps };
  };
  // Several items, cents that floating point gets wrong, non-ASCII names; far under the limit.
  const paidItems: ItemInput[] = [
    { product_id: "prod_1", product_name: "Kaffee „Spezial“ ☕", quantity: 3, price: 19.99 },
    { product_id: "prod_2", product_name: "Thé vert", quantity: 1, price: 0.1 },
    { product_id: "prod_3", product_name: "Notebook 📓", quantity: 2, price: 100.2 },
  ];
  // One item whose total lies above the payment limit: declined, then cancelled.
  const declinedItems: ItemInput[] = [
    { product_id: "prod_4", product_name: "Espresso machine", quantity: 1, price: Number(formatCents(limitCents + 25_050)) },
  ];
  const [paid, declined] = await Promise.all([placeOrder(paidItems, paidSteps), placeOrder(declinedItems, declinedSteps)]);

  const list = body(await http.get(`${urls.order}/api/orders?user_id=${encodeURIComponent(userId)}`), "GET /api/orders?user_id", 200);
  const welcome = ((list.orders ?? []) as Record<string, unknown>[]).find((o) => o.correlation_id === signupCorrelation);
  if (welcome === undefined) throw new Error(`GET /api/orders?user_id=${userId} lists no welcome order: ${JSON.stringify(list)}`);

  return {
    userId,
    email,
    newEmail,
    name,
    newName,
    phone,
    source,
    userAgent,
    signup: { correlationId: signupCorrelation, answer: signup, steps: signupSteps },
    update: { correlationId: updateCorrelation, answer: update, steps: updateSteps },
    welcome: { state: welcome },
    paid,
    declined,
    limitCents,
  };
}

/** Every chain of the run, with the steps it must hold. */
export function chainsOf(run: ContractRun): { readonly what: string; readonly correlationId: string; readonly steps: readonly ChainStep[] }[] {
  return [
    { what: "sign-up", correlationId: run.signup.correlationId, steps: run.signup.steps },
    { what: "profile change", correlationId: run.update.correlationId, steps: run.update.steps },
    { what: "paid order", correlationId: run.paid.correlationId, steps: run.paid.steps },
    { what: "declined order", correlationId: run.declined.correlationId, steps: run.declined.steps },
  ];
}
