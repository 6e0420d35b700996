// The contract's demo flow against a running stack: sign up, let the chain run, place an order,
// and check every number against what the flow implies. Shared by `./polyglot demo` and the
// end-to-end tests, so both exercise exactly the same path.
import { randomUUID } from "node:crypto";
import type { EventLog, EventRecord } from "../events/event-log.js";
import { waitForQuiet } from "../events/settle.js";
import { waitUntil } from "../wait.js";
import { http, type HttpAnswer } from "./http.js";
import { mailsTo, type SinkMail } from "./mail-sink.js";
import { formatCents, toCents } from "./money.js";

export interface DemoUrls {
  readonly user: string;
  readonly order: string;
  readonly notification: string;
  readonly analytics: string;
  /** The SMTP sink's API (Mailpit). */
  readonly mailSink: string;
}

/** The analytics counters the demo checks, as read from `GET /metrics`. */
export interface Counters {
  readonly userSignups: number;
  readonly ordersCreated: number;
  readonly emailsSent: number;
  readonly revenueCents: number;
  readonly paymentsDeclined: number;
}

export interface Check {
  readonly what: string;
  readonly expected: string;
  readonly actual: string;
  readonly ok: boolean;
}

export interface DemoResult {
  readonly email: string;
  readonly reusedNote?: string;
  readonly userId: string;
  readonly correlationId: string;
  readonly orderCorrelationId: string;
  readonly signup: HttpAnswer;
  readonly order: HttpAnswer;
  /** `GET /api/orders/{id}` of the posted order once its saga ended. */
  readonly orderState: HttpAnswer;
  readonly chain: EventRecord[];
  readonly orderChain: EventRecord[];
  readonly emails: OutboxMail[];
  readonly before: Counters;
  readonly after: Counters;
  readonly checks: Check[];
}

export type OutboxMail = SinkMail;

/** The flow's fixed input (CONTRACT.md, "The demo flow"). */
export const demoUser = { email: "demo@example.com", name: "Demo User" } as const;
export const demoItems = [
  { product_id: "prod_1", quantity: 2, price: 29.99 },
  { product_id: "prod_2", quantity: 1, price: 49.99 },
] as const;
export const demoOrderCents = demoItems.reduce((sum, i) => sum + i.quantity * toCents(i.price), 0);

/**
 * What one run implies. order-service runs the saga: the welcome order (free, created CONFIRMED)
 * ships, and the posted order (109.97, under the payment limit) is paid, CONFIRMED, then ships.
 * - sign-ups: 1.
 * - orders created: 2, the welcome order and the posted one (each one OrderCreatedEvent).
 * - revenue: the posted order's total only; the welcome order is free.
 * - e-mails: 5 = 1 welcome e-mail (UserSignupEvent)
 *              + 2 order confirmations, one per order (OrderCreatedEvent)
 *              + 2 shipping e-mails, one per shipped order (OrderShippedEvent).
 *   PaymentProcessedEvent sends nothing, and the demo user has no phone, so no SMS either.
 * - payments declined: 0.
 */
export const expectedDelta: Counters = {
  userSignups: 1,
  ordersCreated: 2,
  emailsSent: 1 + 2 + 2,
  revenueCents: demoOrderCents,
  paymentsDeclined: 0,
};
/** Shipped orders per run: the welcome order and the posted one. */
export const expectedShipped = 2;

export async function readCounters(urls: Pick<DemoUrls, "analytics">): Promise<Counters> {
  const answer = await http.get(`${urls.analytics}/metrics`);
  if (answer.status !== 200) throw new Error(`GET ${urls.analytics}/metrics answered ${answer.status}`);
  const m = answer.body as Record<string, unknown>;
  return {
    userSignups: Number(m.userSignups),
    ordersCreated: Number(m.ordersCreated),
    emailsSent: Number(m.emailsSent),
    revenueCents: toCents(m.totalRevenue as number),
    paymentsDeclined: Number(m.paymentsDeclined),
  };
}

/**
 * The e-mails the SMTP sink received for `email` since `sinceMs` (when the run began): the newest
 * pages of the sink's listing down to that time, so the cost is this run's mails (and whatever
 * else arrived meanwhile), not the sink's history.
 */
export async function readOutbox(urls: Pick<DemoUrls, "mailSink">, email: string, sinceMs: number): Promise<OutboxMail[]> {
  return mailsTo(urls.mailSink, email, sinceMs);
}

function check(what: string, expected: string | number, actual: string | number): Check {
  return { what, expected: String(expected), actual: String(actual), ok: String(expected) === String(actual) };
}

async function signUp(urls: DemoUrls, correlationId: string): Promise<{ answer: HttpAnswer; email: string; note?: string }> {
  const headers = { "x-correlation-id": correlationId };
  const first = await http.post(`${urls.user}/api/users/signup`, demoUser, headers);
  if (first.status !== 409) return { answer: first, email: demoUser.email };
  // demo@example.com exists from an earlier run: this run adds one more user instead.
  const email = `demo+${Date.now()}@example.com`;
  const answer = await http.post(`${urls.user}/api/users/signup`, { ...demoUser, email }, headers);
  return { answer, email, note: `${demoUser.email} signed up in an earlier run, so this run signs up ${email}` };
}

/** Runs the flow; throws when a step cannot go on, returns the checks otherwise. */
export async function runDemoFlow(urls: DemoUrls, events: EventLog, timeoutMs = 60_000): Promise<DemoResult> {
  const before = await readCounters(urls);
  const correlationId = randomUUID();
  // The sink is read for mails received from here on (a second early, for clock granularity).
  const sinceMs = Date.now() - 1_000;

  const { answer: signup, email, note } = await signUp(urls, correlationId);
  if (signup.status !== 201) throw new Error(`sign-up answered ${signup.status}: ${JSON.stringify(signup.body)}`);
  const userId = String((signup.body as Record<string, unknown>).user_id);

  await events.waitFor(
    "the welcome order (OrderCreatedEvent caused by the sign-up)",
    (rs) => rs.some((r) => r.type === "polyglot.events.v1.OrderCreatedEvent" && r.key === userId),
    timeoutMs,
  );

  const orderCorrelationId = randomUUID();
  const order = await http.post(
    `${urls.order}/api/orders`,
    { user_id: userId, items: demoItems },
    { "x-correlation-id": orderCorrelationId },
  );
  if (order.status !== 201) throw new Error(`order answered ${order.status}: ${JSON.stringify(order.body)}`);

  // Wait for both sagas to end (two OrderShippedEvents) and for every e-mail they imply.
  const isFor = (type: string) => (r: EventRecord) => r.type === `polyglot.events.v1.${type}` && r.key === userId;
  await events.waitFor(
    `${expectedShipped} OrderShippedEvents for the user (the welcome order and the posted one)`,
    (rs) => rs.filter(isFor("OrderShippedEvent")).length >= expectedShipped,
    timeoutMs,
  );
  await events.waitFor(
    `${expectedDelta.emailsSent} EmailSentEvents for the user`,
    (rs) => rs.filter(isFor("EmailSentEvent")).length >= expectedDelta.emailsSent,
    timeoutMs,
  );

  let emails: OutboxMail[] = [];
  await waitUntil(
    `${expectedDelta.emailsSent} e-mails to the user in the SMTP sink`,
    async () => {
      emails = await readOutbox(urls, email, sinceMs);
      return emails.length >= expectedDelta.emailsSent;
    },
    timeoutMs,
  );

  const orderBody = order.body as Record<string, unknown>;
  const orderState = await http.get(`${urls.order}/api/orders/${String(orderBody.order_id)}`);
  const orderHistory = ((orderState.body as { history?: { status?: string }[] }).history ?? []).map((h) => h.status).join(" -> ");

  const target = (c: Counters) =>
    c.userSignups - before.userSignups >= expectedDelta.userSignups &&
    c.ordersCreated - before.ordersCreated >= expectedDelta.ordersCreated &&
    c.emailsSent - before.emailsSent >= expectedDelta.emailsSent &&
    c.revenueCents - before.revenueCents >= expectedDelta.revenueCents &&
    c.paymentsDeclined - before.paymentsDeclined >= expectedDelta.paymentsDeclined;
  await waitUntil("the analytics counters to reach the flow's numbers", async () => target(await readCounters(urls)), timeoutMs).catch(() => undefined); // the checks below say which number is off

  // Every number has reached at least what the flow implies. The checks below say "exactly", so
  // they wait for the pipeline to drain first: a late duplicate (an e-mail sent twice, an event
  // counted twice) must be there to be seen when the equality is judged.
  const drained = await waitForQuiet({ reader: events, timeoutMs }).then(
    () => "yes",
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
  emails = await readOutbox(urls, email, sinceMs);
  const after = await readCounters(urls);

  const chain = events.chain(correlationId);
  const orderChain = events.chain(orderCorrelationId);
  const checks: Check[] = [
    check("the pipeline drained before the numbers were compared (consumer lag 0)", "yes", drained),
    check("sign-up echoes the correlation id", correlationId, String((signup.body as Record<string, unknown>).correlation_id)),
    check("order total", formatCents(demoOrderCents), formatCents(toCents(orderBody.total as number))),
    check("posted order's history (GET /api/orders/{id})", "PENDING -> CONFIRMED -> SHIPPED", orderHistory),
    check("orders shipped for the user (order-events)", expectedShipped, new Set(events.records.filter(isFor("OrderShippedEvent")).map((r) => r.headers.ce_id)).size),
    check("e-mails to the user in the SMTP sink", expectedDelta.emailsSent, emails.length),
    check("sign-ups (analytics, this run)", expectedDelta.userSignups, after.userSignups - before.userSignups),
    check("orders created (analytics, this run)", expectedDelta.ordersCreated, after.ordersCreated - before.ordersCreated),
    check("e-mails sent (analytics, this run)", expectedDelta.emailsSent, after.emailsSent - before.emailsSent),
    check("revenue (analytics, this run)", formatCents(expectedDelta.revenueCents), formatCents(after.revenueCents - before.revenueCents)),
    check("payments declined (analytics, this run)", expectedDelta.paymentsDeclined, after.paymentsDeclined - before.paymentsDeclined),
  ];
  return {
    email,
    ...(note === undefined ? {} : { reusedNote: note }),
    userId,
    correlationId,
    orderCorrelationId,
    signup,
    order,
    orderState,
    chain,
    orderChain,
    emails,
    before,
    after,
    checks,
  };
}
