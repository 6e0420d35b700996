// One burst from start to verdict: read the analytics counters, run the burst (with its faults),
// wait (bounded) until every chain is complete and the services' consumer groups have drained,
// then compare everything with the chain definitions: events, effects, the SMTP sink, analytics.
// Prints the figures (sizes, durations, throughput) for the log; the test asserts the verdict.
import { expect } from "vitest";
import { EventLog } from "../../../cli/src/events/event-log.js";
import { ChainIndex } from "../../../cli/src/events/chain-check.js";
import { formatCents } from "../../../cli/src/demo/money.js";
import { bootstrap } from "../../support/kafka.js";
import { planBurst, runBurst, type BurstStats, type BurstUrls, type BurstUser, type Fault } from "./burst.js";
import {
  analyticsDelta,
  correlationIds,
  effectProblems,
  expectedAnalytics,
  readAnalytics,
  serviceTopics,
  SinkReader,
  sinkProblems,
  judgeChains,
  waitForChains,
  type Analytics,
} from "./chain-check.js";
import { waitForQuiet } from "../../../cli/src/events/settle.js";
import { waitUntil } from "../../../cli/src/wait.js";
import { serviceUrls } from "./stack-control.js";

export interface BurstOptions {
  readonly label: string;
  readonly users: number;
  readonly orders: number;
  readonly concurrency: number;
  /** Built once the URLs are known; their `at` is an item index. */
  readonly faults?: (urls: BurstUrls) => readonly Fault[];
  /** Every order-service instance to spread the orders over (default: the one of the stack). */
  readonly orderUrls?: readonly string[];
  /** A broker fault ends a reader's stream: read the topics only after the burst, from their start. */
  readonly reopenLog?: boolean;
  /** Bound of the wait for every chain after the burst. */
  readonly completeWithinMs: number;
}

export interface Verdict {
  readonly users: readonly BurstUser[];
  readonly stats: BurstStats;
  readonly chains: number;
  readonly events: number;
  readonly redelivered: number;
  /** Steps of a chain bound to more than one event, unexpected events, events not matching their step. */
  readonly chainProblems: string[];
  /**
   * The same event id published twice with different time stamps (ce_time, *_timestamp): a
   * republication that built the event anew instead of resending it. Not a second effect, but an
   * event id must name one immutable event.
   */
  readonly restamped: string[];
  /** A second effect found on the whole topics by user (second welcome order, second e-mail, ...). */
  readonly effectProblems: string[];
  readonly sinkProblems: string[];
  readonly sinkMails: number;
  readonly analytics: ReturnType<typeof analyticsDelta>;
  readonly expected: ReturnType<typeof expectedAnalytics>;
}

function log(line: string): void {
  console.log(`${new Date().toISOString()} [burst] ${line}`);
}

export async function burstAndVerify(options: BurstOptions): Promise<Verdict> {
  const services = await serviceUrls();
  const urls: BurstUrls = { user: services.user, orders: options.orderUrls ?? [services.order] };
  const plan = planBurst(options.label, options.users, options.orders);
  const wanted = correlationIds(plan.users);
  // A reader open while the broker is away loses its stream (and rejects unhandled inside
  // EventLog): with a broker fault, read the topics only after the burst, from their start.
  let events: EventLog | undefined = options.reopenLog === true ? undefined : await EventLog.open(bootstrap(), serviceTopics);
  try {
    const before: Analytics = await readAnalytics(services.analytics);
    log(`${options.label}: ${options.users} sign-ups and ${options.orders} orders, ${options.concurrency} in flight`);
    const began = performance.now();
    const beganMs = Date.now();
    const stats = await runBurst(urls, plan, { concurrency: options.concurrency, faults: options.faults?.(urls) ?? [] });
    const requests = stats.signups + stats.orders;
    log(
      `${options.label}: HTTP burst done in ${stats.seconds.toFixed(1)} s: ${(requests / stats.seconds).toFixed(1)} accepted requests/s ` +
        `(${stats.signups} sign-ups, ${stats.orders} orders; retried attempts ${JSON.stringify(stats.retried)}; ` +
        `sign-ups found stored on a retry ${stats.signupsFoundOnRetry}; orders answered 202 ${stats.ordersAccepted202})`,
    );
    for (const f of stats.faults) log(`${options.label}: fault "${f.what}" injected at ${f.injectedAt.toFixed(1)} s (${f.itemsDone} items done), recovered at ${f.recoveredAt.toFixed(1)} s`);

    events ??= await EventLog.open(bootstrap(), serviceTopics);
    const index = new ChainIndex(events, wanted);
    await waitForChains(index, plan.users, options.completeWithinMs);
    // Every chain has its steps. "Nothing twice" is judged after the pipeline has drained (every
    // service group committed to the end, nothing appended for a while, the reader caught up),
    // so a late second effect is among what is judged rather than arriving after the verdict.
    await waitForQuiet({ reader: events, timeoutMs: 120_000 });
    const completion = judgeChains(index, plan.users);
    const completeSeconds = (performance.now() - began) / 1000;
    log(
      `${options.label}: all ${completion.chains} chains complete and the pipeline drained ${completeSeconds.toFixed(1)} s after the burst began: ` +
        `${completion.events} events, ${(completion.events / completeSeconds).toFixed(1)} events/s end to end; ` +
        `${completion.redelivered} records repeated an event id already on its topic (at-least-once redelivery)`,
    );

    const expected = expectedAnalytics(plan.users);
    const types = Object.keys(expected.eventsByType);
    let analytics = analyticsDelta(before, before, types);
    await waitUntil(
      "analytics to count the burst",
      async () => {
        analytics = analyticsDelta(before, await readAnalytics(services.analytics), types);
        const c = analytics.counters;
        const e = expected.counters;
        return c.userSignups >= e.userSignups && c.ordersCreated >= e.ordersCreated && c.emailsSent >= e.emailsSent && c.revenueCents >= e.revenueCents;
      },
      60_000,
      1_000,
    ).catch(() => undefined); // the test compares the numbers and says which one is off
    log(
      `${options.label}: analytics moved by ${analytics.counters.userSignups} sign-ups, ${analytics.counters.ordersCreated} orders, ` +
        `${analytics.counters.emailsSent} e-mails, revenue ${formatCents(analytics.counters.revenueCents)} (expected ${formatCents(expected.counters.revenueCents)}), ` +
        `${(((performance.now() - began) / 1000)).toFixed(1)} s after the burst began`,
    );

    const mailerKills = stats.faults.flatMap((f) => f.mailerKilledAtMs);
    const sink = await sinkProblems(new SinkReader(services.mailSink, beganMs), completion, plan.users, 90_000, mailerKills);
    log(`${options.label}: ${sink.mails} e-mails of the burst in the SMTP sink`);
    for (const line of sink.resent) log(`${options.label}: sent again after the SIGKILL, as the same message: ${line}`);
    const chainProblems = [...completion.outcomes.values()].flatMap((o) => o.problems);
    return {
      users: plan.users,
      stats,
      chains: completion.chains,
      events: completion.events,
      redelivered: completion.redelivered,
      chainProblems,
      restamped: [...completion.outcomes.values()].flatMap((o) => o.restamped),
      effectProblems: effectProblems(index.records, plan.users),
      sinkProblems: sink.problems,
      sinkMails: sink.mails,
      analytics,
      expected,
    };
  } finally {
    await events?.close();
  }
}

/**
 * What every burst test asserts after recovery: every sign-up and order accepted, every chain
 * complete (waitForChains), nothing twice (by event id and by effect), the SMTP sink as the
 * EmailSentEvents say, and the analytics numbers moved exactly by what was sent.
 */
export function expectVerdict(v: Verdict): void {
  expect(v.users.filter((u) => u.userId === undefined || (u.order !== undefined && u.order.orderId === undefined)).map((u) => u.email)).toEqual([]);
  expect(firstOf(v.chainProblems), "chains: a step twice, an unexpected event, or one id for two events").toEqual([]);
  expect(firstOf(v.effectProblems), "effects on the whole topics, by user").toEqual([]);
  expect(firstOf(v.sinkProblems), "the SMTP sink against the EmailSentEvents").toEqual([]);
  expect(v.analytics.counters, "analytics counters moved by the burst (revenue in cents)").toEqual(v.expected.counters);
  expect(v.analytics.eventsByType, "analytics eventsByType moved by the burst: one count per event").toEqual(v.expected.eventsByType);
  // BUG (order-service, reported with issue 11's e2e work): after a SIGKILL between the broker's
  // ack and the service marking a saga step published, the step is published again under the
  // same event id but built anew, with new ce_time / shipped_timestamp / event_metadata.timestamp,
  // so one event id names two different events. Kept as a failing check until order-service
  // republishes the stored event; it fails only when a kill lands in that window.
  expect(firstOf(v.restamped), "BUG order-service: one event id published twice with different time stamps").toEqual([]);
}

/** At most `n` lines of a list of problems, with the total, so a failure reads well. */
export function firstOf(problems: readonly string[], n = 20): string[] {
  return problems.length <= n ? [...problems] : [...problems.slice(0, n), `... and ${problems.length - n} more`];
}
