// Reads a burst's outcome back from the real topics, the SMTP sink and analytics, and says what
// is missing or duplicated, against the chain definitions and the per-chain check the CLI shares
// (cli/src/events/chain-expectations.ts, cli/src/events/chain-check.ts).
//
// Duplicates are judged by effects and event ids, not by raw record counts: delivery is at least
// once, so after a retry (a producer that did not see its ack, a relay that resent an outbox row
// after a crash) the SAME event, with the same ce_id, may legitimately stand on a topic twice.
// Consumers drop it by ce_id. What must never happen is a second effect: a second event id for
// one step of a chain (a second welcome order, a second e-mail for one trigger and template, a
// second shipment), or two different events sharing one id. Records repeated with the same id are
// counted and printed, and must be the same event (type, key, ids, value).
import type { EventRecord } from "../../../cli/src/events/event-log.js";
import { causeOf, ChainIndex, describe, evaluate, idOf, type ChainOutcome, type ChainSpec } from "../../../cli/src/events/chain-check.js";
import { waitUntil } from "../../../cli/src/wait.js";
import { toCents, formatCents } from "../../../cli/src/demo/money.js";
import { mailHeaders, newestMails } from "../../../cli/src/demo/mail-sink.js";
import { expectedCounters, expectedEventsByType, orderChain, signupChain, typePrefix, welcomeProduct, type CounterDelta } from "../../../cli/src/events/chain-expectations.js";
import type { BurstUser } from "./burst.js";

export const serviceTopics = ["user-events", "order-events", "notification-events"] as const;


function chainsOf(users: readonly BurstUser[]): ChainSpec[] {
  return users.flatMap((u) => {
    const key = u.userId ?? "";
    const signup: ChainSpec = { label: `sign-up of ${u.email} (correlation ${u.correlationId})`, steps: signupChain, correlationId: u.correlationId, key };
    if (u.order === undefined) return [signup];
    return [signup, { label: `order of ${u.email} (correlation ${u.order.correlationId})`, steps: orderChain, correlationId: u.order.correlationId, key }];
  });
}

export function correlationIds(users: readonly BurstUser[]): Set<string> {
  return new Set(users.flatMap((u) => [u.correlationId, ...(u.order ? [u.order.correlationId] : [])]));
}

export interface Completion {
  readonly chains: number;
  readonly events: number;
  /** Records read whose event id had already been read on that topic (at-least-once redeliveries). */
  readonly redelivered: number;
  readonly outcomes: ReadonlyMap<string, ChainOutcome>;
}

/** Waits (bounded) until every chain of the burst has all its steps; `judgeChains` then says what else is there. */
export async function waitForChains(index: ChainIndex, users: readonly BurstUser[], timeoutMs: number): Promise<void> {
  const specs = chainsOf(users);
  const pending = new Set(specs);
  try {
    await waitUntil(
      `${specs.length} chains to complete`,
      () => {
        index.update();
        for (const spec of pending) if (evaluate(spec, index.events(spec.correlationId)).missing.length === 0) pending.delete(spec);
        return pending.size === 0;
      },
      timeoutMs,
      250,
    );
  } catch (error: unknown) {
    const sample = [...pending].slice(0, 5).map((s) => `${s.label}: missing ${evaluate(s, index.events(s.correlationId)).missing.join(", ")}`);
    throw new Error(`${error instanceof Error ? error.message : String(error)}; ${pending.size} incomplete, e.g.\n  ${sample.join("\n  ")}`);
  }
}

/**
 * Every chain of the burst judged on what has been read: call it once the pipeline has drained
 * (settle.ts), so that a step bound twice, or an event no step expects, is among what is judged.
 */
export function judgeChains(index: ChainIndex, users: readonly BurstUser[]): Completion {
  index.update();
  const specs = chainsOf(users);
  const outcomes = new Map(specs.map((s) => [s.correlationId, evaluate(s, index.events(s.correlationId))]));
  let events = 0;
  let redelivered = 0;
  for (const s of specs) {
    for (const copies of index.events(s.correlationId).values()) {
      events++;
      redelivered += copies.length - 1;
    }
  }
  return { chains: specs.length, events, redelivered, outcomes };
}

/** Problems found by looking at the whole topics by user, whatever the correlation id: a second effect anywhere. */
export function effectProblems(records: readonly EventRecord[], users: readonly BurstUser[]): string[] {
  const byUser = new Map(users.map((u) => [u.userId ?? "", u]));
  const ofUsers = records.filter((r) => byUser.has(r.key));
  const distinctIds = (rs: readonly EventRecord[]): number => new Set(rs.map(idOf)).size;
  const group = (rs: readonly EventRecord[], keyOf: (r: EventRecord) => string): Map<string, EventRecord[]> => {
    const m = new Map<string, EventRecord[]>();
    for (const r of rs) {
      const k = keyOf(r);
      m.set(k, [...(m.get(k) ?? []), r]);
    }
    return m;
  };
  const problems: string[] = [];
  const created = ofUsers.filter((r) => r.type === `${typePrefix}OrderCreatedEvent`);
  const isWelcome = (r: EventRecord): boolean => ((r.value?.items ?? []) as { productId?: string }[]).some((i) => i.productId === welcomeProduct);
  const welcome = group(created.filter(isWelcome), (r) => r.key);
  const posted = group(created.filter((r) => !isWelcome(r)), (r) => r.key);
  for (const [userId, u] of byUser) {
    const w = distinctIds(welcome.get(userId) ?? []);
    if (w !== 1) problems.push(`${u.email}: ${w} welcome orders (distinct event ids), expected exactly 1`);
    const p = distinctIds(posted.get(userId) ?? []);
    const wantedOrders = u.order === undefined ? 0 : 1;
    if (p !== wantedOrders) problems.push(`${u.email}: ${p} posted orders (distinct event ids), expected ${wantedOrders}`);
  }
  // One e-mail per trigger event and template; one saga step of each kind per order.
  for (const [k, rs] of group(ofUsers.filter((r) => r.type === `${typePrefix}EmailSentEvent`), (r) => `${causeOf(r)} ${String(r.value?.templateId)}`)) {
    if (distinctIds(rs) > 1) problems.push(`${distinctIds(rs)} EmailSentEvents for one trigger and template (${k}): ${rs.map(describe).join("; ")}`);
  }
  for (const type of ["PaymentProcessedEvent", "OrderShippedEvent", "OrderCancelledEvent"]) {
    for (const [orderId, rs] of group(ofUsers.filter((r) => r.type === `${typePrefix}${type}`), (r) => String(r.value?.orderId))) {
      if (distinctIds(rs) > 1) problems.push(`${distinctIds(rs)} ${type}s for order ${orderId}: ${rs.map(describe).join("; ")}`);
    }
  }
  return problems;
}

export interface Analytics extends CounterDelta {
  readonly eventsByType: Readonly<Record<string, number>>;
}

/** The counters of GET /metrics; revenue from the exact decimal text of `revenueByCurrency.USD` when present. */
export async function readAnalytics(analyticsUrl: string): Promise<Analytics> {
  const response = await fetch(`${analyticsUrl}/metrics`, { signal: AbortSignal.timeout(15_000) });
  if (response.status !== 200) throw new Error(`GET ${analyticsUrl}/metrics answered ${response.status}`);
  const m = (await response.json()) as Record<string, unknown>;
  const usd = (m.revenueByCurrency as Record<string, string> | undefined)?.USD;
  const byType: Record<string, number> = {};
  for (const [k, v] of Object.entries((m.eventsByType ?? {}) as Record<string, number>)) byType[k.replace(typePrefix, "")] = Number(v);
  return {
    userSignups: Number(m.userSignups),
    ordersCreated: Number(m.ordersCreated),
    emailsSent: Number(m.emailsSent),
    revenueCents: toCents(usd ?? (m.totalRevenue as number)),
    paymentsDeclined: Number(m.paymentsDeclined ?? 0),
    eventsByType: byType,
  };
}

export function analyticsDelta(before: Analytics, after: Analytics, types: readonly string[]): { counters: CounterDelta; eventsByType: Record<string, number> } {
  return {
    counters: {
      userSignups: after.userSignups - before.userSignups,
      ordersCreated: after.ordersCreated - before.ordersCreated,
      emailsSent: after.emailsSent - before.emailsSent,
      revenueCents: after.revenueCents - before.revenueCents,
      paymentsDeclined: after.paymentsDeclined - before.paymentsDeclined,
    },
    eventsByType: Object.fromEntries(types.map((t) => [t, (after.eventsByType[t] ?? 0) - (before.eventsByType[t] ?? 0)])),
  };
}

export function expectedAnalytics(users: readonly BurstUser[]): { counters: CounterDelta; eventsByType: Record<string, number> } {
  const orders = users.flatMap((u) => (u.order ? [u.order.cents] : []));
  return { counters: expectedCounters(users.length, orders), eventsByType: expectedEventsByType(users.length, orders.length) };
}

interface SinkMail {
  readonly to: string[];
  readonly subject: string;
  readonly correlationId: string;
  /** The same for every send of one notification (notification-service's message_id). */
  readonly messageId: string;
  /** When the sink received it (Mailpit's Created, ms since the epoch). */
  readonly receivedAtMs: number;
}

/**
 * The SMTP sink's mails received since the burst began, from Mailpit's API: the newest pages of
 * the listing down to the burst's start, and each new mail's headers once (for its
 * X-Correlation-ID). What it reads grows with the burst, not with what the sink held before.
 */
export class SinkReader {
  private readonly seen = new Map<string, SinkMail>();

  /** `sinceMs`: when the burst began (a little earlier, for clock granularity). */
  constructor(
    private readonly sinkUrl: string,
    private readonly sinceMs: number,
  ) {}

  async mails(): Promise<SinkMail[]> {
    for (const m of await newestMails(this.sinkUrl, this.sinceMs - 1_000)) {
      if (this.seen.has(m.ID)) continue;
      const headers = await mailHeaders(this.sinkUrl, m.ID);
      const header = (name: string): string => Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1]?.[0] ?? "";
      this.seen.set(m.ID, {
        to: m.To.map((a) => a.Address),
        subject: m.Subject,
        correlationId: header("x-correlation-id"),
        messageId: header("message-id"),
        receivedAtMs: Date.parse(m.Created),
      });
    }
    return [...this.seen.values()];
  }
}

/**
 * How long before a SIGKILL the first copy of a mail sent again may have arrived: the time between
 * the SMTP server's acceptance and the sent-log write, which the kill fell into. A copy older than
 * that was written to the sent-log long before the kill; sending it again would be a bug.
 */
export const inFlightBeforeKillMs = 5_000;

/**
 * The e-mails the SMTP sink received for the burst, against the EmailSentEvents of each chain:
 * each event's subject exactly once, to the user's address, and nothing else for that chain.
 * `mailerKills` are the times of the SIGKILLs of a notification-service process: each may have
 * caught one mail between the server's acceptance and the sent-log, which is then sent once more
 * as the same message (one Message-ID). So at most one mail more than the EmailSentEvents per
 * kill, only a mail whose first copy arrived just before a kill, and never a third copy.
 */
export async function sinkProblems(
  sink: SinkReader,
  completion: Completion,
  users: readonly BurstUser[],
  timeoutMs: number,
  mailerKills: readonly number[] = [],
): Promise<{ mails: number; problems: string[]; resent: string[] }> {
  const expected = new Map<string, { to: string; subjects: string[] }>();
  for (const u of users) {
    for (const c of [u.correlationId, ...(u.order ? [u.order.correlationId] : [])]) {
      const bound = completion.outcomes.get(c)?.bound ?? new Map<string, EventRecord>();
      const subjects = [...bound.values()].filter((r) => r.type === `${typePrefix}EmailSentEvent`).map((r) => String(r.value?.subject));
      expected.set(c, { to: u.email, subjects });
    }
  }
  const total = [...expected.values()].reduce((n, e) => n + e.subjects.length, 0);
  let mine: SinkMail[] = [];
  await waitUntil(
    `${total} e-mails of the burst in the SMTP sink`,
    async () => {
      mine = (await sink.mails()).filter((m) => expected.has(m.correlationId));
      return mine.length >= total;
    },
    timeoutMs,
    1_000,
  ).catch(() => undefined); // the comparison below names what is missing
  const problems: string[] = [];
  const resent: string[] = [];
  const got = new Map<string, SinkMail[]>();
  for (const m of mine) got.set(m.correlationId, [...(got.get(m.correlationId) ?? []), m]);
  for (const [c, e] of expected) {
    let mails = got.get(c) ?? [];
    if (mailerKills.length > 0) {
      // A mail without a Message-ID cannot be told to be the same message: it is never a resend.
      const byArrival = [...mails].sort((a, b) => a.receivedAtMs - b.receivedAtMs);
      const once = byArrival.filter((m, i) => m.messageId === "" || byArrival.findIndex((x) => x.messageId === m.messageId) === i);
      for (const first of once) {
        const copies = byArrival.filter((x) => x.messageId !== "" && x.messageId === first.messageId);
        if (copies.length < 2) continue;
        const line = `chain ${c}: "${first.subject}" ${first.messageId}, first copy at ${new Date(first.receivedAtMs).toISOString()}`;
        resent.push(line);
        if (copies.length > 2) problems.push(`${line}: in the sink ${copies.length} times; a kill resends a mail once at most`);
        const inFlight = mailerKills.some((k) => first.receivedAtMs >= k - inFlightBeforeKillMs && first.receivedAtMs <= k + 1_000);
        if (!inFlight) {
          problems.push(`${line}: sent again, but it arrived first outside ${inFlightBeforeKillMs / 1000} s before each SIGKILL (${mailerKills.map((k) => new Date(k).toISOString()).join(", ")}): it was not in flight at a kill`);
        }
      }
      mails = once;
    }
    const subjects = mails.map((m) => m.subject).sort();
    if (JSON.stringify(subjects) !== JSON.stringify([...e.subjects].sort())) problems.push(`chain ${c}: the sink has [${subjects.join(" | ")}], the EmailSentEvents say [${e.subjects.join(" | ")}]`);
    for (const m of mails) if (!m.to.includes(e.to)) problems.push(`chain ${c}: "${m.subject}" went to ${m.to.join(", ")}, not ${e.to}`);
  }
  if (resent.length > mailerKills.length) {
    problems.push(`${resent.length} mails sent again after ${mailerKills.length} SIGKILL(s) of notification-service: a kill resends at most the one mail in flight`);
  }
  return { mails: mine.length, problems, resent };
}

export { formatCents };
