// The contract's demo flow end to end, on the real stack: real HTTP calls, then every record of
// both chains (each order's saga included) read back from the real topics and checked for key,
// headers, correlation and causation; then a declined payment, which ends CANCELLED.
// One file, so that the two flows run one after the other and each can count the analytics
// numbers it moves as differences.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventLog, type EventRecord } from "../../cli/src/events/event-log.js";
import { expectedDelta, readCounters, readOutbox, runDemoFlow, type Counters, type DemoResult, type OutboxMail } from "../../cli/src/demo/flow.js";
import { waitForQuiet } from "../../cli/src/events/settle.js";
import { waitUntil } from "../../cli/src/wait.js";
import { http, type HttpAnswer } from "../../cli/src/demo/http.js";
import { formatCents, toCents } from "../../cli/src/demo/money.js";
import { smtpSinkPort } from "../../cli/src/stack/components/smtp-sink.js";
import { createStackEnv } from "../../cli/src/stack/stack-env.js";
import { seedMails } from "../support/mail-seed.js";
import { expectRecord } from "./record-assertions.js";
import { stackUrls } from "./stack-urls.js";

const T = "polyglot.events.v1.";
const urls = stackUrls();
let events: EventLog;

beforeAll(async () => {
  events = await EventLog.open(urls.bootstrap);
});

afterAll(async () => {
  await events?.close();
});

/**
 * Waits until the pipeline has drained (every service group committed to the end, nothing new
 * appended, the reader caught up): after a count reached N, so that "exactly N" sees any late
 * duplicate.
 */
async function settled(): Promise<void> {
  await waitForQuiet({ reader: events, timeoutMs: 60_000 });
}

/** The chain's records without analytics-service's AnalyticsUpdates. */
const chainOf = (correlationId: string): EventRecord[] => events.chain(correlationId).filter((r) => r.topic !== "analytics-events");

/** The one record of the chain that `p` picks: exactly one, or the test fails naming `what`. */
function one(chain: readonly EventRecord[], what: string, p: (r: EventRecord) => boolean): EventRecord {
  const found = chain.filter(p);
  expect(found, what).toHaveLength(1);
  return found[0] as EventRecord;
}

const ofType = (type: string) => (r: EventRecord) => r.type === `${T}${type}`;
const causedBy = (cause: EventRecord) => (r: EventRecord) => r.headers.ce_causationid === cause.headers.ce_id;
const id = (r: EventRecord): string => r.headers.ce_id ?? "";

/** An e-mail of the chain: caused by `cause`, to the user, with the contract's headers. */
function expectEmail(chain: readonly EventRecord[], cause: EventRecord, expected: { userId: string; correlationId: string; email: string }): EventRecord {
  const mail = one(chain, `the EmailSentEvent caused by ${cause.type}`, (r) => ofType("EmailSentEvent")(r) && causedBy(cause)(r));
  expectRecord(mail, { type: `${T}EmailSentEvent`, source: "/notification-service", key: expected.userId, correlationId: expected.correlationId, causationId: id(cause) });
  expect(mail.topic).toBe("notification-events");
  expect(mail.value?.emailAddress).toBe(expected.email);
  return mail;
}

/** A saga step on order-events: caused by `cause`, keyed by the user, in the chain. */
function expectStep(chain: readonly EventRecord[], type: string, cause: EventRecord, expected: { userId: string; correlationId: string }): EventRecord {
  const step = one(chain, `the ${type} caused by ${cause.type}`, (r) => ofType(type)(r) && causedBy(cause)(r));
  expectRecord(step, { type: `${T}${type}`, source: "/order-service", key: expected.userId, correlationId: expected.correlationId, causationId: id(cause) });
  expect(step.topic).toBe("order-events");
  return step;
}

function historyOf(answer: HttpAnswer): string {
  return ((answer.body as { history?: { status?: string }[] }).history ?? []).map((h) => h.status).join(" -> ");
}

describe("demo flow", () => {
  let result: DemoResult;

  beforeAll(async () => {
    result = await runDemoFlow(urls, events);
  }, 120_000);

  it("answers and counts every number as the flow implies", () => {
    expect(result.signup.status).toBe(201);
    expect(result.order.status).toBe(201);
    expect(result.checks.filter((c) => !c.ok)).toEqual([]);
    expect(expectedDelta.emailsSent).toBe(5);
  });

  it("sign-up -> welcome OrderCreated -> OrderShipped -> e-mails: one chain with the right keys, headers and causes", async () => {
    const { userId, correlationId, email } = result;
    // The chain's last events may still be on their way when the flow's checks passed.
    await events.waitFor("the sign-up chain's 6 events", () => chainOf(correlationId).length >= 6);
    await settled();
    const chain = chainOf(correlationId);
    const who = { userId, correlationId, email };

    const signup = one(chain, "UserSignupEvent", ofType("UserSignupEvent"));
    expectRecord(signup, { type: `${T}UserSignupEvent`, source: "/user-service", key: userId, correlationId, causationId: "" });
    expect(signup.topic).toBe("user-events");
    expect(signup.value?.email).toBe(email);

    const welcome = expectStep(chain, "OrderCreatedEvent", signup, who);
    expect(welcome.value).toMatchObject({ status: "ORDER_STATUS_CONFIRMED", items: [{ productId: "welcome-package" }] });
    // Exactly one welcome order for the sign-up, on the whole topic, not only in this chain.
    const welcomeOrders = events.records.filter((r) => ofType("OrderCreatedEvent")(r) && r.key === userId && (r.value?.items as { productId?: string }[] | undefined)?.[0]?.productId === "welcome-package");
    expect(new Set(welcomeOrders.map(id)).size).toBe(1);

    const shipped = expectStep(chain, "OrderShippedEvent", welcome, who);
    expect(shipped.value).toMatchObject({ orderId: welcome.value?.orderId, userId, carrier: "polyglot-post" });
    expect(String(shipped.value?.trackingNumber)).toMatch(/^PP[0-9A-F]{12}$/);

    const mails = [signup, welcome, shipped].map((cause) => expectEmail(chain, cause, who));
    expect(mails.map((m) => m.value?.templateId)).toEqual(["welcome", "order_confirmation", "shipping_notification"]);
    expect(chain).toHaveLength(6);
  });

  it("the posted order is a chain of its own: OrderCreated -> PaymentProcessed -> OrderShipped -> e-mails", async () => {
    const { userId, orderCorrelationId: correlationId, email } = result;
    await events.waitFor("the order chain's 5 events", () => chainOf(correlationId).length >= 5);
    await settled();
    const chain = chainOf(correlationId);
    const who = { userId, correlationId, email };

    const created = one(chain, "OrderCreatedEvent", ofType("OrderCreatedEvent"));
    expectRecord(created, { type: `${T}OrderCreatedEvent`, source: "/order-service", key: userId, correlationId, causationId: "" });
    expect(created.value).toMatchObject({ status: "ORDER_STATUS_PENDING", currency: "USD", totalMoney: { currencyCode: "USD", units: "109", nanos: 970000000 } });
    const orderId = created.value?.orderId;
    expect(orderId).toBe((result.order.body as Record<string, unknown>).order_id);

    const paid = expectStep(chain, "PaymentProcessedEvent", created, who);
    expect(paid.value).toMatchObject({ orderId, userId, status: "PAYMENT_STATUS_APPROVED", amount: { currencyCode: "USD", units: "109", nanos: 970000000 } });
    const shipped = expectStep(chain, "OrderShippedEvent", paid, who);
    expect(shipped.value).toMatchObject({ orderId, userId, carrier: "polyglot-post" });
    expect(chain.filter(ofType("OrderCancelledEvent"))).toEqual([]);

    const mails = [created, shipped].map((cause) => expectEmail(chain, cause, who));
    expect(mails.map((m) => m.value?.templateId)).toEqual(["order_confirmation", "shipping_notification"]);
    expect(chain).toHaveLength(5);
  });

  it("GET /api/orders/{id} shows the posted order SHIPPED, with its history", async () => {
    const orderId = String((result.order.body as Record<string, unknown>).order_id);
    expect(result.orderState.status).toBe(200);
    expect(result.orderState.body).toMatchObject({ order_id: orderId, status: "SHIPPED", correlation_id: result.orderCorrelationId });
    expect(historyOf(result.orderState)).toBe("PENDING -> CONFIRMED -> SHIPPED");
    const list = await http.get(`${urls.order}/api/orders?user_id=${encodeURIComponent(result.userId)}`);
    const orders = (list.body as { orders: { status: string; history: unknown[] }[] }).orders;
    expect(orders.map((o) => o.status)).toEqual(["SHIPPED", "SHIPPED"]);
    expect(historyOf({ ...list, body: orders[0] })).toBe("CONFIRMED -> SHIPPED");
  });
});

describe("a declined payment", () => {
  // The local payment provider declines every order whose total is above PAYMENT_LIMIT
  // (services/order-service/README.md): one cent above it.
  const limitCents = toCents(process.env.PAYMENT_LIMIT?.trim() || "1000.00");
  const price = Number(formatCents(limitCents + 1));
  const email = `declined+${randomUUID()}@example.com`;
  const correlationId = randomUUID();
  const orderCorrelationId = randomUUID();
  let userId: string;
  let order: HttpAnswer;
  let before: Counters;
  let after: Counters;
  let mails: OutboxMail[] = [];
  // Welcome + the welcome order's confirmation and shipping e-mail + the posted order's
  // confirmation + its cancellation.
  const expectedEmails = 5;

  beforeAll(async () => {
    const sinceMs = Date.now() - 1_000;
    before = await readCounters(urls);
    const signup = await http.post(`${urls.user}/api/users/signup`, { email, name: "Declined User" }, { "x-correlation-id": correlationId });
    expect(signup.status).toBe(201);
    userId = String((signup.body as Record<string, unknown>).user_id);
    order = await http.post(
      `${urls.order}/api/orders`,
      { user_id: userId, items: [{ product_id: "prod_big", quantity: 1, price }] },
      { "x-correlation-id": orderCorrelationId },
    );
    expect(order.status).toBe(201);
    await events.waitFor("the OrderCancelledEvent", (rs) => rs.some((r) => ofType("OrderCancelledEvent")(r) && r.key === userId), 60_000);
    await waitUntil(
      `${expectedEmails} e-mails to ${email} in the SMTP sink`,
      async () => (mails = await readOutbox(urls, email, sinceMs)).length >= expectedEmails,
      60_000,
    );
    await waitUntil(
      "analytics to count the declined payment and every e-mail",
      async () => {
        after = await readCounters(urls);
        return after.paymentsDeclined > before.paymentsDeclined && after.emailsSent - before.emailsSent >= expectedEmails;
      },
      60_000,
    ).catch(() => undefined); // the assertions say which number is off
    // The assertions count exactly: a late duplicate must have arrived before they judge.
    await settled();
    mails = await readOutbox(urls, email, sinceMs);
    after = await readCounters(urls);
  }, 180_000);

  it("OrderCreated -> PaymentProcessed DECLINED -> OrderCancelled -> e-mails, each caused by the one before", async () => {
    await events.waitFor("the order chain's 5 events", () => chainOf(orderCorrelationId).length >= 5);
    await settled();
    const chain = chainOf(orderCorrelationId);
    const who = { userId, correlationId: orderCorrelationId, email };

    const created = one(chain, "OrderCreatedEvent", ofType("OrderCreatedEvent"));
    expectRecord(created, { type: `${T}OrderCreatedEvent`, source: "/order-service", key: userId, correlationId: orderCorrelationId, causationId: "" });
    expect(created.value).toMatchObject({ status: "ORDER_STATUS_PENDING" });
    const orderId = created.value?.orderId;

    const paid = expectStep(chain, "PaymentProcessedEvent", created, who);
    expect(paid.value).toMatchObject({ orderId, userId, status: "PAYMENT_STATUS_DECLINED" });
    expect(String(paid.value?.declineReason)).toContain("exceeds the limit");
    const cancelled = expectStep(chain, "OrderCancelledEvent", paid, who);
    expect(cancelled.value).toMatchObject({ orderId, userId });
    expect(String(cancelled.value?.reason)).toMatch(/^payment declined: /);
    expect(chain.filter(ofType("OrderShippedEvent"))).toEqual([]);

    const sent = [created, cancelled].map((cause) => expectEmail(chain, cause, who));
    expect(sent.map((m) => m.value?.templateId)).toEqual(["order_confirmation", "order_cancelled"]);
    expect(chain).toHaveLength(5);
  });

  it("GET /api/orders/{id} shows it CANCELLED, with its history", async () => {
    const orderId = String((order.body as Record<string, unknown>).order_id);
    const state = await http.get(`${urls.order}/api/orders/${orderId}`);
    expect(state.body).toMatchObject({ order_id: orderId, status: "CANCELLED" });
    expect(historyOf(state)).toBe("PENDING -> CANCELLED");
  });

  it("sends the cancellation e-mail and counts the declined payment", () => {
    expect(mails).toHaveLength(expectedEmails);
    expect(mails.filter((m) => /cancel/i.test(m.subject))).toHaveLength(1);
    expect({
      userSignups: after.userSignups - before.userSignups,
      ordersCreated: after.ordersCreated - before.ordersCreated,
      emailsSent: after.emailsSent - before.emailsSent,
      paymentsDeclined: after.paymentsDeclined - before.paymentsDeclined,
    }).toEqual({ userSignups: 1, ordersCreated: 2, emailsSent: expectedEmails, paymentsDeclined: 1 });
  });
});

// After a load run the sink holds thousands of mails; the demo must not read them all. The sink
// is filled over SMTP (not through the chain, so it takes a minute, not an hour), then the whole
// demo runs, reading only the mails of its own run.
describe("the demo on a sink that holds 20,000 mails", () => {
  const history = 20_000;
  let result: DemoResult;
  let demoSeconds = 0;
  let total = 0;

  beforeAll(async () => {
    await seedMails(smtpSinkPort(createStackEnv(1, process.env)), history, (i) => `history-${i % 5_000}@example.com`, 8);
    total = Number(((await http.get(`${urls.mailSink}/api/v1/messages?limit=1`)).body as { messages_count: number }).messages_count);
    const started = performance.now();
    result = await runDemoFlow(urls, events);
    demoSeconds = (performance.now() - started) / 1000;
  }, 300_000);

  it("passes every check, as quickly as on an empty sink", () => {
    expect(total).toBeGreaterThanOrEqual(history);
    expect(result.checks.filter((c) => !c.ok)).toEqual([]);
    expect(result.emails).toHaveLength(expectedDelta.emailsSent);
    // The demo's own waits (the sagas, the e-mails, the drain) take a few seconds; reading the
    // sink is a page or two of its listing, whatever it holds.
    expect(demoSeconds).toBeLessThan(45);
  });
});
