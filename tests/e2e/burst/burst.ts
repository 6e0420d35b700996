// A burst of sign-ups and orders through the real HTTP APIs, many in flight at once, with
// optional faults injected at fixed points of it. Each item is one user: sign up, then (for
// the first `orders` users) post one order for that user.
//
// Clients retry the way a careful client would while a service restarts or the broker is away,
// without ever creating something twice:
// - a sign-up that failed in transport may have been stored: a 409 on the retry means it was,
//   and GET /api/users?email= gives its user id;
// - an order carries an Idempotency-Key, so a retry gets the first answer, never a second order;
//   422 (user not known to order-service yet: its sign-up event has not arrived, e.g. while the
//   broker is down) is retried too.
// 201 and 202 both count as accepted (order-service answers 202 when the broker did not ack in
// time; it publishes the stored order later).
import { randomUUID } from "node:crypto";
import pMap from "p-map";
import pRetry, { AbortError } from "p-retry";
import type { Killed } from "../../../cli/src/chaos/signals.js";
import { formatCents } from "../../../cli/src/demo/money.js";

export interface OrderItem {
  readonly product_id: string;
  readonly quantity: number;
  readonly price: number;
}

export interface BurstOrder {
  readonly correlationId: string;
  readonly idempotencyKey: string;
  readonly items: readonly OrderItem[];
  readonly cents: number;
  orderId?: string;
  status?: number;
}

export interface BurstUser {
  readonly index: number;
  readonly email: string;
  readonly name: string;
  readonly correlationId: string;
  userId?: string;
  order?: BurstOrder;
}

/** A fault at a point of the burst: `inject` runs once every item before `at` has started (items from `at` on wait for it), `recover` right after, while the burst goes on. */
export interface Fault {
  readonly at: number;
  readonly what: string;
  /**
   * Returns the processes it signalled: a SIGKILLed notification-service process may have handed
   * one mail to the SMTP server without writing it to its sent-log, and that mail is sent once
   * more, as the same message, so the verdict needs the moment of each such kill.
   */
  inject(): Promise<readonly Killed[] | void>;
  recover?(): Promise<void>;
}

export interface FaultRun {
  readonly what: string;
  /** Seconds since the burst began. */
  readonly injectedAt: number;
  /** The wall clock (ms since the epoch) when it was injected: what mail arrival times compare with. */
  readonly injectedAtMs: number;
  /** When each notification-service process was SIGKILLed (ms since the epoch). */
  readonly mailerKilledAtMs: readonly number[];
  readonly recoveredAt: number;
  /** Items whose HTTP calls had all finished when it was injected. */
  readonly itemsDone: number;
}

export interface BurstUrls {
  readonly user: string;
  /** Every order-service instance; calls go round-robin and move on to the next one on a failure. */
  readonly orders: readonly string[];
}

export interface BurstStats {
  readonly seconds: number;
  readonly signups: number;
  readonly orders: number;
  /** Attempts that did not succeed and were retried, by what happened ("transport", "503", "422", ...). */
  readonly retried: Readonly<Record<string, number>>;
  /** Sign-ups answered 409 on a retry: the first attempt had stored the user. */
  readonly signupsFoundOnRetry: number;
  /** Orders answered 202 (stored, event published later by the relay). */
  readonly ordersAccepted202: number;
  readonly faults: readonly FaultRun[];
}

export interface BurstPlan {
  readonly users: BurstUser[];
}

/** `users` users, the first `orders` of them with an order (every total at most 899.91, under the payment limit). */
export function planBurst(label: string, users: number, orders: number): BurstPlan {
  const run = randomUUID().slice(0, 8);
  const sources = ["web", "mobile", "api", "social"];
  return {
    users: Array.from({ length: users }, (_, index) => {
      const user: BurstUser = {
        index,
        email: `${label}-${run}-${index}@example.com`,
        name: `${label} user ${index} (${sources[index % sources.length]})`,
        correlationId: randomUUID(),
      };
      if (index < orders) {
        // Deterministic, varied prices: 1 to 3 items, 1 to 3 each, 1.00 to 99.99 per unit.
        const items = Array.from({ length: 1 + (index % 3) }, (_, j) => {
          const cents = 100 + ((index * 7_919 + j * 104_729) % 9_900);
          return { product_id: `prod_${(index + j) % 50}`, quantity: 1 + ((index + j) % 3), price: Number(formatCents(cents)) };
        });
        const cents = items.reduce((sum, i) => sum + i.quantity * Math.round(i.price * 100), 0);
        user.order = { correlationId: randomUUID(), idempotencyKey: randomUUID(), items, cents };
      }
      return user;
    }),
  };
}

class Retryable extends Error {
  constructor(readonly kind: string, message: string) {
    super(message);
  }
}

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

async function call(method: "GET" | "POST", url: string, body: unknown, headers: Record<string, string>): Promise<Answer> {
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method,
      headers: { accept: "application/json", ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      // order-service may wait 5 s for the user and 10 s for the broker's ack: room for both on a busy machine.
      signal: AbortSignal.timeout(45_000),
    });
    // A process killed while answering cuts the body short ("terminated"): a transport failure too.
    text = await response.text();
  } catch (error: unknown) {
    throw new Retryable("transport", `${method} ${url}: ${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)}`);
  }
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    parsed = { text };
  }
  return { status: response.status, body: parsed };
}

/** How long one sign-up or order may keep retrying: longer than any fault the suites inject. */
const retryBudgetMs = 240_000;

async function withRetries<T>(what: string, retried: Record<string, number>, signal: AbortSignal, attempt: (n: number) => Promise<T>): Promise<T> {
  let n = 0;
  return pRetry(() => attempt(n++), {
    signal,
    retries: Number.POSITIVE_INFINITY,
    minTimeout: 200,
    maxTimeout: 2_000,
    randomize: true,
    maxRetryTime: retryBudgetMs,
    shouldRetry: ({ error }) => error instanceof Retryable,
    onFailedAttempt: ({ error }) => {
      const kind = error instanceof Retryable ? error.kind : "fatal";
      retried[kind] = (retried[kind] ?? 0) + 1;
    },
  }).catch((error: unknown) => {
    throw new Error(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  });
}

const retryableStatus = (status: number): boolean => status >= 500 || status === 429 || status === 408;

interface Counts {
  readonly retried: Record<string, number>;
  foundOnRetry: number;
  accepted202: number;
  readonly signal: AbortSignal;
}

async function signUp(urls: BurstUrls, user: BurstUser, stats: Counts): Promise<void> {
  user.userId = await withRetries(`sign-up of ${user.email}`, stats.retried, stats.signal, async (attempt) => {
    const answer = await call("POST", `${urls.user}/api/users/signup`, { email: user.email, name: user.name }, { "x-correlation-id": user.correlationId });
    if (answer.status === 201) return String(answer.body.user_id);
    if (answer.status === 409 && attempt > 0) {
      // An earlier attempt stored the user but its answer was lost.
      const found = await call("GET", `${urls.user}/api/users?email=${encodeURIComponent(user.email)}`, undefined, {});
      if (found.status !== 200) throw new Retryable(`lookup ${found.status}`, `GET /api/users?email= answered ${found.status}`);
      stats.foundOnRetry++;
      return String(found.body.user_id ?? found.body.id);
    }
    if (retryableStatus(answer.status)) throw new Retryable(String(answer.status), `sign-up answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    throw new AbortError(`sign-up answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  });
}

async function placeOrder(urls: BurstUrls, user: BurstUser, order: BurstOrder, stats: Counts): Promise<void> {
  const answer = await withRetries(`order of ${user.email}`, stats.retried, stats.signal, async (attempt) => {
    const base = urls.orders[(user.index + attempt) % urls.orders.length];
    const a = await call(
      "POST",
      `${base}/api/orders`,
      { user_id: user.userId, items: order.items },
      { "x-correlation-id": order.correlationId, "idempotency-key": order.idempotencyKey },
    );
    if (a.status === 201 || a.status === 202) return a;
    // 422: the user's sign-up has not reached order-service yet (it waits ORDER_USER_WAIT only).
    if (retryableStatus(a.status) || a.status === 422) throw new Retryable(String(a.status), `order answered ${a.status}: ${JSON.stringify(a.body)}`);
    throw new AbortError(`order answered ${a.status}: ${JSON.stringify(a.body)}`);
  });
  if (answer.status === 202) stats.accepted202++;
  order.status = answer.status;
  order.orderId = String(answer.body.order_id);
}

interface Deferred {
  readonly promise: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

function deferred(): Deferred {
  let resolve: () => void = () => undefined;
  let reject: (error: unknown) => void = () => undefined;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Runs the burst with `concurrency` items in flight and the faults at their points; returns when every item and every fault's recovery is done. */
export async function runBurst(urls: BurstUrls, plan: BurstPlan, options: { concurrency: number; faults?: readonly Fault[] }): Promise<BurstStats> {
  const began = performance.now();
  const since = (): number => (performance.now() - began) / 1000;
  const faults = [...(options.faults ?? [])].sort((a, b) => a.at - b.at);
  const abort = new AbortController();
  const stats: Counts = { retried: {}, foundOnRetry: 0, accepted202: 0, signal: abort.signal };
  let itemsDone = 0;
  const runs: FaultRun[] = [];

  // Fault k is injected when item `at` is taken, after fault k-1 has recovered.
  const injected = faults.map(() => deferred());
  const recovered = faults.map(() => deferred());
  // After a failed burst no further fault is injected, and the one under way is let finish, so
  // that nothing of this burst acts on the stack once it has returned.
  let failed = false;
  const firing: Promise<void>[] = [];
  const fire = async (k: number): Promise<void> => {
    const fault = faults[k] as Fault;
    try {
      if (k > 0) await recovered[k - 1]?.promise;
      if (failed) throw new Error(`fault "${fault.what}" not injected: the burst failed`);
      const injectedAt = since();
      const injectedAtMs = Date.now();
      const done = itemsDone;
      const killed = (await fault.inject()) ?? [];
      injected[k]?.resolve();
      await fault.recover?.();
      // Not the fault's start: a fault that kills several processes one after another (each kill
      // waits until the process is gone) reaches notification-service seconds later.
      const mailerKilledAtMs = killed.filter((p) => p.signal === "SIGKILL" && p.name.startsWith("notification-service")).map((p) => p.signalledAtMs);
      runs.push({ what: fault.what, injectedAt, injectedAtMs, mailerKilledAtMs, recoveredAt: since(), itemsDone: done });
      recovered[k]?.resolve();
    } catch (error: unknown) {
      injected[k]?.reject(error);
      recovered[k]?.reject(error);
    }
  };
  // Unhandled until awaited below: keep node quiet, the awaits report the error.
  for (const p of [...injected, ...recovered]) p.promise.catch(() => undefined);

  try {
    await pMap(
      plan.users,
      async (user) => {
        faults.forEach((f, k) => {
          if (f.at === user.index) firing.push(fire(k));
        });
        await Promise.all(faults.flatMap((f, k) => (f.at <= user.index ? [injected[k]?.promise] : [])));
        await signUp(urls, user, stats);
        if (user.order !== undefined) await placeOrder(urls, user, user.order, stats);
        itemsDone++;
      },
      { concurrency: options.concurrency, stopOnError: true, signal: abort.signal },
    );
  } catch (error: unknown) {
    failed = true;
    abort.abort(error);
    await Promise.allSettled(firing);
    throw error;
  }
  await Promise.all(recovered.map((r) => r.promise));
  return {
    seconds: since(),
    signups: plan.users.length,
    orders: plan.users.filter((u) => u.order !== undefined).length,
    retried: stats.retried,
    signupsFoundOnRetry: stats.foundOnRetry,
    ordersAccepted202: stats.accepted202,
    faults: runs,
  };
}
