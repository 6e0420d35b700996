// The producer side of the contract: each record the scenario caused, as read back from the
// broker (reference decode), carries the contract's key and headers, the right cause, and
// fields equal to what went into and came out of the HTTP calls.
import { expect } from "vitest";
import { compareTimes, type EventLog, type EventRecord } from "../../cli/src/events/event-log.js";
import { toCents } from "../../cli/src/demo/money.js";
import { expectRecord } from "../e2e/record-assertions.js";
import { producerOf } from "./producers.js";
import { chainsOf, stepMatches, type ChainStep, type ContractRun, type OrderRun } from "./scenario.js";

type Json = Record<string, unknown>;

const where = (r: EventRecord): string => `${r.topic}[${r.partition}]@${r.offset} ${r.type} ${r.headers.ce_id ?? ""}`;

/** The one record of a chain for `step` (copies of one event share its id). */
function only(chain: readonly EventRecord[], step: { readonly type: string; readonly template?: string }, what: string): EventRecord {
  const found = chain.filter((r) => stepMatches(r, step));
  const ids = new Set(found.map((r) => r.headers.ce_id));
  expect(ids.size, `${what}: exactly one ${step.type}${step.template ? ` (${step.template})` : ""}, found ids ${[...ids].join(", ")}`).toBe(1);
  return found[0]!;
}

/** Each chain holds each of its steps once, with the contract's key and headers and its cause's id. */
export function checkChains(run: ContractRun, events: EventLog, topic: string): EventRecord[] {
  const checked: EventRecord[] = [];
  for (const { what, correlationId, steps } of chainsOf(run)) {
    const chain = events.chain(correlationId);
    for (const step of steps) {
      if (!producerOf(topic).types.includes(step.type)) continue;
      const record = only(chain, step, `${what} chain`);
      const cause = step.cause === undefined ? undefined : only(chain, step.cause, `${what} chain (cause of ${step.type})`);
      expectRecord(record, {
        type: step.type,
        source: `/${producerOf(topic).service}`,
        key: run.userId,
        correlationId,
        causationId: cause?.headers.ce_id ?? "",
      });
      expect(record.topic, where(record)).toBe(topic);
      const metadata = (record.value?.eventMetadata ?? {}) as Json;
      expect(String(metadata.sourceVersion ?? ""), `${where(record)} event_metadata.source_version`).not.toBe("");
      expect(metadata.timestamp, `${where(record)} event_metadata.timestamp`).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
      checked.push(record);
    }
  }
  return checked;
}

function sameTime(actual: unknown, expected: unknown, what: string): void {
  expect(typeof actual, `${what} is set`).toBe("string");
  expect(compareTimes(String(actual), String(expected)), `${what}: ${String(actual)} is not ${String(expected)}`).toBe(0);
}

/** Canonical JSON Money -> cents, refusing anything finer than a cent. */
function moneyCents(money: unknown, what: string): number {
  const m = (money ?? {}) as Json;
  expect(m.currencyCode, `${what}.currency_code`).toBe("USD");
  const nanos = Number(m.nanos ?? 0);
  expect(nanos % 10_000_000, `${what}.nanos is whole cents`).toBe(0);
  return Number(BigInt(String(m.units ?? "0")) * 100n) + nanos / 10_000_000;
}

function history(state: Json, status: string): string {
  const step = ((state.history ?? []) as Json[]).find((h) => h.status === status);
  if (step === undefined) throw new Error(`order ${String(state.order_id)} has no ${status} step: ${JSON.stringify(state)}`);
  return String(step.at);
}

const value = (r: EventRecord): Json => (r.value ?? {}) as Json;

export function checkUserEvents(run: ContractRun, events: EventLog): void {
  const signup = only(events.chain(run.signup.correlationId), { type: "polyglot.events.v1.UserSignupEvent" }, "sign-up");
  const s = value(signup);
  expect(s.userId, where(signup)).toBe(run.userId);
  expect(s.email, where(signup)).toBe(run.email);
  expect(s.name, where(signup)).toBe(run.name);
  expect(s.phoneNumber, where(signup)).toBe(run.phone);
  expect(s.source, where(signup)).toBe("SIGNUP_SOURCE_MOBILE");
  expect(s.metadata, `${where(signup)} metadata`).toMatchObject({ user_agent: run.userAgent, ip_address: expect.stringMatching(/^(127\.0\.0\.1|::1|0:0:0:0:0:0:0:1)$/) });
  sameTime(s.signupTimestamp, run.update.answer.created_at, `${where(signup)} signup_timestamp vs created_at`);

  const updated = only(events.chain(run.update.correlationId), { type: "polyglot.events.v1.UserUpdatedEvent" }, "profile change");
  const u = value(updated);
  expect(u.userId, where(updated)).toBe(run.userId);
  expect(u.email, where(updated)).toBe(run.newEmail);
  expect(u.name, where(updated)).toBe(run.newName);
  expect(u.previousEmail, where(updated)).toBe(run.email);
  expect(u.phoneNumber, where(updated)).toBe(run.phone);
  expect([...((u.updatedFields ?? []) as string[])].sort(), `${where(updated)} updated_fields`).toEqual(["email", "name"]);
  sameTime(u.updatedTimestamp, run.update.answer.updated_at, `${where(updated)} updated_timestamp vs updated_at`);
}

function checkOrderCreated(record: EventRecord, run: ContractRun, state: Json, items: OrderRun["items"], totalCents: number, status: string): void {
  const o = value(record);
  expect(o.orderId, where(record)).toBe(state.order_id);
  expect(o.userId, where(record)).toBe(run.userId);
  expect(o.status, where(record)).toBe(status);
  expect(o.currency, where(record)).toBe("USD");
  expect(moneyCents(o.totalMoney, `${where(record)} total_money`)).toBe(totalCents);
  expect(toCents((o.totalAmount as number | undefined) ?? 0), `${where(record)} total_amount`).toBe(totalCents);
  sameTime(o.createdTimestamp, state.created_at, `${where(record)} created_timestamp vs created_at`);
  const got = ((o.items ?? []) as Json[]).map((i, n) => ({
    product_id: i.productId,
    product_name: i.productName,
    quantity: i.quantity,
    price: toCents((i.unitPrice as number | undefined) ?? 0),
    money: moneyCents(i.unitPriceMoney, `${where(record)} items[${n}].unit_price_money`),
  }));
  expect(got, `${where(record)} items`).toEqual(items.map((i) => ({ ...i, price: toCents(i.price), money: toCents(i.price) })));
}

export function checkOrderEvents(run: ContractRun, events: EventLog): void {
  const welcomeChain = events.chain(run.signup.correlationId);
  const welcomeOrder = only(welcomeChain, { type: "polyglot.events.v1.OrderCreatedEvent" }, "sign-up");
  const w = run.welcome.state;
  const welcomeItems = ((w.items ?? []) as Json[]).map((i) => ({
    product_id: String(i.product_id),
    product_name: String(i.product_name),
    quantity: Number(i.quantity),
    price: Number(i.price),
  }));
  expect(welcomeItems.map((i) => i.product_id), "the welcome order's items").toEqual(["welcome-package"]);
  checkOrderCreated(welcomeOrder, run, w, welcomeItems, 0, "ORDER_STATUS_CONFIRMED");
  const welcomeShipped = only(welcomeChain, { type: "polyglot.events.v1.OrderShippedEvent" }, "sign-up");
  checkShipped(welcomeShipped, run, w);

  for (const order of [run.paid, run.declined]) {
    const approved = order === run.paid;
    const chain = events.chain(order.correlationId);
    expect(order.answer, "POST /api/orders answer").toMatchObject({ status: "PENDING" });
    expect(toCents(order.answer.total as number), "POST /api/orders total").toBe(order.totalCents);
    checkOrderCreated(only(chain, { type: "polyglot.events.v1.OrderCreatedEvent" }, "order"), run, order.state, order.items, order.totalCents, "ORDER_STATUS_PENDING");

    const payment = only(chain, { type: "polyglot.events.v1.PaymentProcessedEvent" }, "order");
    const p = value(payment);
    expect(p.orderId, where(payment)).toBe(order.state.order_id);
    expect(p.userId, where(payment)).toBe(run.userId);
    expect(moneyCents(p.amount, `${where(payment)} amount`)).toBe(order.totalCents);
    expect(p.status, where(payment)).toBe(approved ? "PAYMENT_STATUS_APPROVED" : "PAYMENT_STATUS_DECLINED");
    expect(p.provider, where(payment)).toBe("local");
    expect(String(p.paymentId ?? ""), `${where(payment)} payment_id`).not.toBe("");
    sameTime(p.processedTimestamp, history(order.state, approved ? "CONFIRMED" : "CANCELLED"), `${where(payment)} processed_timestamp`);
    if (approved) {
      expect(p.declineReason, where(payment)).toBeUndefined();
      expect(order.state.status, "GET /api/orders/{id} status").toBe("SHIPPED");
      checkShipped(only(chain, { type: "polyglot.events.v1.OrderShippedEvent" }, "order"), run, order.state);
    } else {
      expect(String(p.declineReason ?? ""), `${where(payment)} decline_reason`).toContain("exceeds the limit");
      expect(order.state.status, "GET /api/orders/{id} status").toBe("CANCELLED");
      const cancelled = only(chain, { type: "polyglot.events.v1.OrderCancelledEvent" }, "order");
      const c = value(cancelled);
      expect(c.orderId, where(cancelled)).toBe(order.state.order_id);
      expect(c.userId, where(cancelled)).toBe(run.userId);
      expect(String(c.reason ?? ""), `${where(cancelled)} reason`).toContain(String(p.declineReason));
      sameTime(c.cancelledTimestamp, history(order.state, "CANCELLED"), `${where(cancelled)} cancelled_timestamp`);
    }
  }
}

function checkShipped(record: EventRecord, run: ContractRun, state: Json): void {
  const s = value(record);
  expect(s.orderId, where(record)).toBe(state.order_id);
  expect(s.userId, where(record)).toBe(run.userId);
  expect(s.trackingNumber, where(record)).toMatch(/^PP[0-9A-F]{12}$/);
  expect(String(s.carrier ?? ""), where(record)).not.toBe("");
  sameTime(s.shippedTimestamp, history(state, "SHIPPED"), `${where(record)} shipped_timestamp`);
}

const emailTypes: Readonly<Record<string, string>> = {
  welcome: "EMAIL_TYPE_WELCOME",
  order_confirmation: "EMAIL_TYPE_ORDER_CONFIRMATION",
  shipping_notification: "EMAIL_TYPE_SHIPPING_NOTIFICATION",
  order_cancelled: "EMAIL_TYPE_ORDER_CANCELLED",
  email_changed: "EMAIL_TYPE_EMAIL_CHANGED",
};

export function checkNotificationEvents(run: ContractRun, events: EventLog): void {
  const chains: { correlationId: string; steps: readonly ChainStep[]; address: string; orderId: string }[] = [
    { correlationId: run.signup.correlationId, steps: run.signup.steps, address: run.email, orderId: String(run.welcome.state.order_id) },
    // The notice of a changed address goes to the address being replaced.
    { correlationId: run.update.correlationId, steps: run.update.steps, address: run.email, orderId: "" },
    { correlationId: run.paid.correlationId, steps: run.paid.steps, address: run.newEmail, orderId: String(run.paid.state.order_id) },
    { correlationId: run.declined.correlationId, steps: run.declined.steps, address: run.newEmail, orderId: String(run.declined.state.order_id) },
  ];
  for (const c of chains) {
    const chain = events.chain(c.correlationId);
    for (const step of c.steps) {
      if (step.type === "polyglot.events.v1.EmailSentEvent") {
        const mail = only(chain, step, "notification");
        const e = value(mail);
        const template = step.template ?? "";
        const orderId = template === "welcome" || template === "email_changed" ? "" : c.orderId;
        expect(e.userId, where(mail)).toBe(run.userId);
        expect(e.emailAddress, `${where(mail)} email_address`).toBe(c.address);
        expect(e.templateId, where(mail)).toBe(template);
        expect(e.emailType, where(mail)).toBe(emailTypes[template]);
        expect(e.orderId ?? "", `${where(mail)} order_id`).toBe(orderId);
        expect(String(e.subject ?? ""), `${where(mail)} subject`).not.toBe("");
        expect(typeof e.sentTimestamp, `${where(mail)} sent_timestamp`).toBe("string");
        const vars = (e.templateVariables ?? {}) as Json;
        expect(Object.keys(vars).length, `${where(mail)} template_variables`).toBeGreaterThan(0);
        if (orderId !== "") expect(vars.order_id, `${where(mail)} template_variables.order_id`).toBe(orderId);
        if (template === "order_confirmation" && c.correlationId !== run.signup.correlationId) {
          const order = c.correlationId === run.paid.correlationId ? run.paid : run.declined;
          expect(String(vars.total_amount), `${where(mail)} template_variables.total_amount`).toContain((order.totalCents / 100).toFixed(2));
        }
        if (template === "email_changed") expect(vars.previous_email, `${where(mail)} template_variables.previous_email`).toBe(run.email);
      } else if (step.type === "polyglot.events.v1.SMSSentEvent") {
        const sms = only(chain, step, "notification");
        const m = value(sms);
        expect(m.userId, where(sms)).toBe(run.userId);
        expect(m.phoneNumber, where(sms)).toBe(run.phone);
        expect(m.smsType, where(sms)).toBe("SMS_TYPE_ORDER_UPDATE");
        expect(m.orderId, where(sms)).toBe(c.orderId);
        expect(String(m.messageContent ?? ""), `${where(sms)} message_content`).not.toBe("");
        expect(typeof m.sentTimestamp, `${where(sms)} sent_timestamp`).toBe("string");
      }
    }
  }
}
