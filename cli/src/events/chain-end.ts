// Where a chain ends for `./polyglot load`: every step of ./chain-expectations.ts bound (judged
// by ./chain-check.ts, as the e2e tests judge it), and then analytics-service has published the
// AnalyticsUpdate caused by the chain's last e-mail, the moment the dashboard can show it. Also
// each hop's latency (cause -> effect) from the records' Kafka timestamps.
//
// AnalyticsUpdates are not steps of the chain definitions: analytics-service publishes one per
// counter an event moved (a number that changes when counters are added), so they are taken
// apart here and only the one caused by the last e-mail is looked for.
import { causeOf, evaluate, idOf, type ChainOutcome, type ChainSpec } from "./chain-check.js";
import { typePrefix, type Step } from "./chain-expectations.js";
import type { EventRecord } from "./event-log.js";

export const analyticsUpdateType = `${typePrefix}AnalyticsUpdate`;

/** The hop from a chain's last e-mail to the AnalyticsUpdate it caused. */
export const analyticsHop = "last e-mail → AnalyticsUpdate";

export interface ChainEnd {
  readonly outcome: ChainOutcome;
  /** True when every step is bound and the AnalyticsUpdate caused by the last e-mail is there. */
  readonly complete: boolean;
  /** The chain's last e-mail (latest record timestamp; one user's e-mails share a partition, so the offset breaks ties). */
  readonly lastEmail?: EventRecord;
  /** The first AnalyticsUpdate caused by `lastEmail`: the chain's last event. */
  readonly end?: EventRecord;
}

const later = (a: EventRecord, b: EventRecord): boolean => (a.timestamp ?? 0) > (b.timestamp ?? 0) || ((a.timestamp ?? 0) === (b.timestamp ?? 0) && a.offset > b.offset);

/** Judges one chain over its events (by event id, all copies together), AnalyticsUpdates included. */
export function judgeToAnalytics(spec: ChainSpec, events: ReadonlyMap<string, EventRecord[]>): ChainEnd {
  const service = new Map<string, EventRecord[]>();
  const updates: EventRecord[] = [];
  for (const [id, copies] of events) {
    const first = copies[0];
    if (first === undefined) continue;
    if (first.type === analyticsUpdateType) updates.push(first);
    else service.set(id, copies);
  }
  const outcome = evaluate(spec, service);
  if (outcome.missing.length > 0) return { outcome, complete: false };
  let lastEmail: EventRecord | undefined;
  for (const step of spec.steps) {
    const r = step.type === "EmailSentEvent" ? outcome.bound.get(step.name) : undefined;
    if (r !== undefined && (lastEmail === undefined || later(r, lastEmail))) lastEmail = r;
  }
  if (lastEmail === undefined) return { outcome, complete: false };
  let end: EventRecord | undefined;
  for (const u of updates) if (causeOf(u) === idOf(lastEmail) && (end === undefined || later(end, u))) end = u;
  return end === undefined ? { outcome, complete: false, lastEmail } : { outcome, complete: true, lastEmail, end };
}

export interface Hop {
  /** `cause → effect`, by step names (`welcome order → welcome order shipped`). */
  readonly name: string;
  readonly ms: number;
}

/** Every cause -> effect hop of a judged chain, timed by the records' Kafka timestamps. */
export function hopsOf(steps: readonly Step[], end: ChainEnd): Hop[] {
  const hops: Hop[] = [];
  for (const step of steps) {
    if (step.cause === undefined) continue;
    const cause = end.outcome.bound.get(step.cause);
    const effect = end.outcome.bound.get(step.name);
    if (cause?.timestamp === undefined || effect?.timestamp === undefined) continue;
    hops.push({ name: `${step.cause} → ${step.name}`, ms: effect.timestamp - cause.timestamp });
  }
  if (end.lastEmail?.timestamp !== undefined && end.end?.timestamp !== undefined) hops.push({ name: analyticsHop, ms: end.end.timestamp - end.lastEmail.timestamp });
  return hops;
}
