// The contract's demo flow against a running stack: sign up, let the chain run, place an order,
// and check every number against what the flow implies. Shared by `./polyglot demo` and the
// end-to-end tests, so both exercise exactly the same path.
import { randomUUID } from "node:crypto";
import pWaitFor, { TimeoutError } from "p-wait-for";
import type { EventLog, EventRecord } from "../events/event-log.js";
import { http, type HttpAnswer } from "./http.js";
import { formatCents, toCents } from "./money.js";

export interface DemoUrls {
  readonly user: string;
  readonly order: string;
  readonly notification: string;
  readonly analytics: string;
}

/** The analytics counters the demo checks, as read from `GET /metrics`. */
export interface Counters {
  readonly userSignups: number;
  readonly ordersCreated: number;
  readonly emailsSent: number;
  readonly revenueCents: number;
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
  readonly chain: EventRecord[];
  readonly orderChain: EventRecord[];
  readonly emails: OutboxMail[];
  readonly before: Counters;
  readonly after: Counters;
  readonly checks: Check[];
}

export interface OutboxMail {
  readonly to: string[];
  readonly subject: string;
}

/** The flow's fixed input (CONTRACT.md, "The demo flow"). */
export const demoUser = { email: "demo@example.com", name: "Demo User" } as const;
export const demoItems = [
  { product_id: "prod_1", quantity: 2, price: 29.99 },
  { product_id: "prod_2", quantity: 1, price: 49.99 },
] as const;
export const demoOrderCents = demoItems.reduce((sum, i) => sum + i.quantity * toCents(i.price), 0);

/**
 * What one run implies: 1 sign-up; 2 orders (the welcome order and the posted one); revenue of
 * the posted order only (the welcome order is free); 3 e-mails (a welcome e-mail and one
 * confirmation per order).
 */
export const expectedDelta: Counters = { userSignups: 1, ordersCreated: 2, emailsSent: 3, revenueCents: demoOrderCents };

async function readCounters(urls: DemoUrls): Promise<Counters> {
  const answer = await http.get(`${urls.analytics}/metrics`);
  if (answer.status !== 200) throw new Error(`GET ${urls.analytics}/metrics answered ${answer.status}`);
  const m = answer.body as Record<string, unknown>;
  return {
    userSignups: Number(m.userSignups),
    ordersCreated: Number(m.ordersCreated),
    emailsSent: Number(m.emailsSent),
    revenueCents: toCents(m.totalRevenue as number),
  };
}

async function readOutbox(urls: DemoUrls): Promise<OutboxMail[]> {
  const answer = await http.get(`${urls.notification}/api/outbox`);
  if (answer.status !== 200) throw new Error(`GET ${urls.notification}/api/outbox answered ${answer.status}`);
  const body = answer.body as { messages?: unknown } | unknown[];
  const list = (Array.isArray(body) ? body : ((body as { messages?: unknown }).messages ?? [])) as Record<string, unknown>[];
  return list.map((m) => ({
    to: (Array.isArray(m.to) ? m.to : [m.to]).map(String),
    subject: String(m.subject ?? ""),
  }));
}

async function waitUntil(what: string, condition: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  try {
    await pWaitFor(condition, { interval: 200, timeout: timeoutMs });
  } catch (error: unknown) {
    if (error instanceof TimeoutError) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    throw error;
  }
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

  const isEmailFor = (r: EventRecord) => r.type === "polyglot.events.v1.EmailSentEvent" && r.key === userId;
  await events.waitFor("3 EmailSentEvents for the user", (rs) => rs.filter(isEmailFor).length >= expectedDelta.emailsSent, timeoutMs);

  let emails: OutboxMail[] = [];
  await waitUntil(
    "3 e-mails to the user in the SMTP sink",
    async () => {
      emails = (await readOutbox(urls)).filter((m) => m.to.includes(email));
      return emails.length >= expectedDelta.emailsSent;
    },
    timeoutMs,
  );

  let after = before;
  const target = (c: Counters) =>
    c.userSignups - before.userSignups >= expectedDelta.userSignups &&
    c.ordersCreated - before.ordersCreated >= expectedDelta.ordersCreated &&
    c.emailsSent - before.emailsSent >= expectedDelta.emailsSent &&
    c.revenueCents - before.revenueCents >= expectedDelta.revenueCents;
  await waitUntil(
    "the analytics counters to reach the flow's numbers",
    async () => target((after = await readCounters(urls))),
    timeoutMs,
  ).catch(() => undefined); // the checks below say which number is off

  const orderBody = order.body as Record<string, unknown>;
  const chain = events.chain(correlationId);
  const orderChain = events.chain(orderCorrelationId);
  const checks: Check[] = [
    check("sign-up echoes the correlation id", correlationId, String((signup.body as Record<string, unknown>).correlation_id)),
    check("order total", formatCents(demoOrderCents), formatCents(toCents(orderBody.total as number))),
    check("e-mails to the user in the SMTP sink", expectedDelta.emailsSent, emails.length),
    check("sign-ups (analytics, this run)", expectedDelta.userSignups, after.userSignups - before.userSignups),
    check("orders created (analytics, this run)", expectedDelta.ordersCreated, after.ordersCreated - before.ordersCreated),
    check("e-mails sent (analytics, this run)", expectedDelta.emailsSent, after.emailsSent - before.emailsSent),
    check("revenue (analytics, this run)", formatCents(expectedDelta.revenueCents), formatCents(after.revenueCents - before.revenueCents)),
  ];
  return {
    email,
    ...(note === undefined ? {} : { reusedNote: note }),
    userId,
    correlationId,
    orderCorrelationId,
    signup,
    order,
    chain,
    orderChain,
    emails,
    before,
    after,
    checks,
  };
}
