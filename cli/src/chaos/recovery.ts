// What "the system recovered" means after a fault, as pure rules over what was read back: the
// consumer groups' lag, and the chains whose root event falls in a window around the fault,
// judged by the same chain definitions and check as the burst suites (cli/src/events/).
import { evaluate, type ChainOutcome } from "../events/chain-check.js";
import { compareTimes, type EventRecord } from "../events/event-log.js";
import { orderChainOf, signupChainOf, typePrefix, type ChainFacts, type Step } from "../events/chain-expectations.js";
import type { GroupLag } from "./lag.js";

/** The services' consumer groups, whose lag must drain (the CLI's own `polyglot-*` groups are not listed by groupLags). */
export const serviceGroups = ["order-service", "notification-service", "analytics-service"] as const;

export interface DrainState {
  /** Every service group with a member has lag 0 (and each is there). */
  readonly drained: boolean;
  /** Groups with members and lag > 0, or not there yet. */
  readonly waiting: readonly string[];
  /** Groups with lag > 0 but no member: nothing consumes them until their service runs again. */
  readonly stranded: readonly GroupLag[];
}

/** Whether the services' groups have caught up. A group without members cannot drain: it is stranded, not waited for. */
export function drainState(lags: readonly GroupLag[], groups: readonly string[] = serviceGroups): DrainState {
  const waiting: string[] = [];
  const stranded: GroupLag[] = [];
  for (const group of groups) {
    const l = lags.find((x) => x.group === group);
    if (l === undefined) waiting.push(group);
    else if (l.lag > 0n && l.members === 0) stranded.push(l);
    else if (l.lag > 0n) waiting.push(group);
  }
  return { drained: waiting.length === 0, waiting, stranded };
}

/** `order-service 3, notification-service 0, analytics-service 12` */
export function lagSummary(lags: readonly GroupLag[]): string {
  return serviceGroups.map((g) => `${g} ${lags.find((l) => l.group === g)?.lag ?? "?"}`).join(", ");
}

export type ChainKind = "sign-up" | "order";

export interface JudgedChain {
  readonly kind: ChainKind;
  readonly correlationId: string;
  readonly rootTime: string;
  readonly outcome: ChainOutcome;
  /** The services that write the chain's next missing steps (those whose cause is there), e.g. `notification-service`. */
  readonly waitsFor: readonly string[];
}

const definitions: readonly { kind: ChainKind; steps: (facts: ChainFacts) => readonly Step[] }[] = [
  { kind: "sign-up", steps: signupChainOf },
  { kind: "order", steps: orderChainOf },
];

/** Per user id, whether the user's latest sign-up or profile change on user-events gives a phone number. */
function phones(records: readonly EventRecord[]): Map<string, boolean> {
  const latest = new Map<string, EventRecord>();
  for (const r of records) {
    if (r.topic !== "user-events" || r.value === undefined) continue;
    if (r.type !== `${typePrefix}UserSignupEvent` && r.type !== `${typePrefix}UserUpdatedEvent`) continue;
    // One user's events share a partition (keyed by user id), so the offset orders them.
    const before = latest.get(r.key);
    if (before === undefined || before.offset < r.offset) latest.set(r.key, r);
  }
  return new Map([...latest].map(([key, r]) => [key, typeof r.value?.phoneNumber === "string" && r.value.phoneNumber !== ""]));
}

/** Whether order-service declined the payment of the chain's order (its PaymentProcessedEvent says so). */
const declined = (events: ReadonlyMap<string, EventRecord[]>): boolean =>
  [...events.values()].some(([r]) => r?.type === `${typePrefix}PaymentProcessedEvent` && r.value?.status === "PAYMENT_STATUS_DECLINED");

/** True when `r` is the root event of a chain of `steps`: the first step's type, source and shape, caused by nothing. */
function isRoot(r: EventRecord, steps: readonly Step[]): boolean {
  const root = steps[0];
  if (root === undefined) return false;
  return (
    r.type === `${typePrefix}${root.type}` &&
    r.topic === root.topic &&
    r.headers.ce_source === root.source &&
    (r.headers.ce_causationid ?? "") === "" &&
    (root.matches === undefined || (r.value !== undefined && root.matches(r.value)))
  );
}

/**
 * Every sign-up and order chain whose root event's ce_time is at or after `since` (RFC 3339),
 * judged over `records` (the event topics as read back), oldest first.
 */
export function judgeChains(records: readonly EventRecord[], since: string): JudgedChain[] {
  const byCorrelation = new Map<string, Map<string, EventRecord[]>>();
  for (const r of records) {
    const c = r.headers.ce_correlationid ?? "";
    let events = byCorrelation.get(c);
    if (events === undefined) byCorrelation.set(c, (events = new Map()));
    const id = r.headers.ce_id ?? "";
    events.set(id, [...(events.get(id) ?? []), r]);
  }
  const phoneOf = phones(records);
  // A chain's facts change its later steps, never its root.
  const rootSteps = Object.fromEntries(definitions.map((d) => [d.kind, d.steps({})])) as Record<ChainKind, readonly Step[]>;
  const judged: JudgedChain[] = [];
  // Delivery is at least once, to this reader too: one root may be read more than once.
  const seen = new Set<string>();
  for (const r of records) {
    const rootTime = r.headers.ce_time ?? "";
    if (compareTimes(rootTime, since) < 0) continue;
    for (const definition of definitions) {
      const { kind } = definition;
      const correlationId = r.headers.ce_correlationid ?? "";
      if (!isRoot(r, rootSteps[kind]) || seen.has(`${kind} ${correlationId}`)) continue;
      seen.add(`${kind} ${correlationId}`);
      const events = byCorrelation.get(correlationId) ?? new Map<string, EventRecord[]>();
      const steps = definition.steps({ phone: phoneOf.get(r.key) ?? false, declined: declined(events) });
      const outcome = evaluate({ label: `${kind} ${correlationId}`, steps, correlationId, key: r.key }, events);
      const next = steps.filter((s) => outcome.missing.includes(s.name) && (s.cause === undefined || outcome.bound.has(s.cause)));
      const writers = next.map((s) => s.source.replace(/^\//, ""));
      judged.push({ kind, correlationId, rootTime, outcome, waitsFor: [...new Set(writers)] });
    }
  }
  return judged.sort((a, b) => compareTimes(a.rootTime, b.rootTime));
}

export interface ChainVerdict {
  readonly complete: number;
  readonly incomplete: readonly JudgedChain[];
  /** Chains with duplicates or unexpected events (complete or not). */
  readonly faulty: readonly JudgedChain[];
  /** Incomplete chains whose next step is written by a service that is down: no wait makes them complete. */
  readonly blocked: readonly JudgedChain[];
}

/** Sums the judged chains; `down` are the services with no running instance. */
export function verdict(chains: readonly JudgedChain[], down: ReadonlySet<string>): ChainVerdict {
  const incomplete = chains.filter((c) => c.outcome.missing.length > 0);
  return {
    complete: chains.length - incomplete.length,
    incomplete,
    faulty: chains.filter((c) => c.outcome.problems.length > 0),
    blocked: incomplete.filter((c) => c.waitsFor.some((s) => down.has(s))),
  };
}

/** `2 sign-up chains (2 complete), 1 order chain (0 complete, 1 incomplete)` */
export function chainCounts(chains: readonly JudgedChain[]): string {
  if (chains.length === 0) return "no chain";
  return definitions
    .map(({ kind }) => {
      const of = chains.filter((c) => c.kind === kind);
      const done = of.filter((c) => c.outcome.missing.length === 0).length;
      return `${of.length} ${kind} chain${of.length === 1 ? "" : "s"} (${done} complete${of.length > done ? `, ${of.length - done} incomplete` : ""})`;
    })
    .join(", ");
}

/** One line per incomplete chain: what it misses and who writes that. */
export function incompleteLines(chains: readonly JudgedChain[], down: ReadonlySet<string>): string[] {
  return chains.map((c) => {
    const downOnes = c.waitsFor.filter((s) => down.has(s));
    const why = downOnes.length > 0 ? `waits for ${downOnes.join(", ")}, which is down` : `waits for ${c.waitsFor.join(", ")}`;
    return `${c.kind} chain ${c.correlationId} (root ${c.rootTime}): missing ${c.outcome.missing.join(", ")}; ${why}`;
  });
}
