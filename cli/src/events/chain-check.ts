// Whether one chain is complete, against the chain definitions of ./chain-expectations.ts: each
// step bound to the one event that plays it, and what is missing, duplicated or unexpected.
// The burst suites (tests/e2e/burst/) and `./polyglot chaos` both judge chains with it.
//
// Duplicates are judged by event ids, not by raw record counts: delivery is at least once, so the
// SAME event (same ce_id) may stand on a topic twice; a second event id for one step is a problem.
import type { EventLog, EventRecord } from "./event-log.js";
import { typePrefix, type Step } from "./chain-expectations.js";

export const idOf = (r: EventRecord): string => r.headers.ce_id ?? "";
export const causeOf = (r: EventRecord): string => r.headers.ce_causationid ?? "";

/** One chain to check: its definition, correlation id and key. */
export interface ChainSpec {
  readonly label: string;
  readonly steps: readonly Step[];
  readonly correlationId: string;
  readonly key: string;
}

export interface ChainOutcome {
  readonly missing: string[];
  readonly problems: string[];
  /** One event id on a topic twice, the same event but for its time stamps: republished, not resent. */
  readonly restamped: string[];
  /** Step name -> the event bound to it. */
  readonly bound: Map<string, EventRecord>;
}

/** Records by correlation id, then by event id (all copies of one id together), fed incrementally from an EventLog. */
export class ChainIndex {
  private readonly byCorrelation = new Map<string, Map<string, EventRecord[]>>();
  private cursor = 0;

  constructor(
    private readonly log: EventLog,
    private readonly wanted: ReadonlySet<string>,
  ) {}

  get records(): readonly EventRecord[] {
    return this.log.records;
  }

  /** Indexes the records read since the last call; returns the correlation ids that gained one. */
  update(): Set<string> {
    const touched = new Set<string>();
    const records = this.log.records;
    for (; this.cursor < records.length; this.cursor++) {
      const r = records[this.cursor] as EventRecord;
      const c = r.headers.ce_correlationid ?? "";
      if (!this.wanted.has(c)) continue;
      touched.add(c);
      let events = this.byCorrelation.get(c);
      if (events === undefined) this.byCorrelation.set(c, (events = new Map()));
      const copies = events.get(idOf(r));
      if (copies === undefined) events.set(idOf(r), [r]);
      else copies.push(r);
    }
    return touched;
  }

  events(correlationId: string): ReadonlyMap<string, EventRecord[]> {
    return this.byCorrelation.get(correlationId) ?? new Map();
  }
}

export function describe(r: EventRecord): string {
  return `${r.type.replace(typePrefix, "")} ${idOf(r)} (${r.topic}[${r.partition}]@${r.offset}, cause ${causeOf(r) || "none"})`;
}

/** Binds each step to the one event that plays it; says what is missing, duplicated or unexpected. */
export function evaluate(spec: ChainSpec, events: ReadonlyMap<string, EventRecord[]>): ChainOutcome {
  const missing: string[] = [];
  const problems: string[] = [];
  const restamped: string[] = [];
  const bound = new Map<string, EventRecord>();
  const used = new Set<string>();
  const distinct = [...events.values()].map((copies) => copies[0] as EventRecord);
  for (const step of spec.steps) {
    const causeId = step.cause === undefined ? "" : bound.get(step.cause)?.headers.ce_id;
    if (causeId === undefined) {
      missing.push(step.name);
      continue;
    }
    const candidates = distinct.filter((r) => r.type === `${typePrefix}${step.type}` && causeOf(r) === causeId && (step.matches === undefined || (r.value !== undefined && step.matches(r.value))));
    if (candidates.length === 0) {
      missing.push(step.name);
      continue;
    }
    if (candidates.length > 1) problems.push(`${spec.label}: ${candidates.length} distinct events for "${step.name}": ${candidates.map(describe).join("; ")}`);
    const r = candidates[0] as EventRecord;
    bound.set(step.name, r);
    for (const c of candidates) used.add(idOf(c));
    if (r.topic !== step.topic) problems.push(`${spec.label}: "${step.name}" on ${r.topic}, expected ${step.topic}`);
    if (r.headers.ce_source !== step.source) problems.push(`${spec.label}: "${step.name}" from ${r.headers.ce_source}, expected ${step.source}`);
    if (r.key !== spec.key) problems.push(`${spec.label}: "${step.name}" keyed ${r.key}, expected the user id ${spec.key}`);
  }
  for (const r of distinct) {
    if (!used.has(idOf(r))) problems.push(`${spec.label}: unexpected event ${describe(r)}${r.decodeError ? ` (${r.decodeError})` : ""}`);
  }
  for (const copies of events.values()) {
    const first = copies[0] as EventRecord;
    const same = (r: EventRecord): boolean =>
      r.topic === first.topic && r.type === first.type && r.key === first.key && causeOf(r) === causeOf(first) && JSON.stringify(withoutTimes(r.value)) === JSON.stringify(withoutTimes(first.value));
    if (!copies.every(same)) problems.push(`${spec.label}: event id ${idOf(first)} stands for different events: ${copies.map(describe).join("; ")}`);
    else if (!copies.every((r) => JSON.stringify(r.value) === JSON.stringify(first.value))) {
      restamped.push(`${spec.label}: ${describe(first)} published again with other times: ${copies.map((r) => `@${r.offset} ${timesOf(r.value).join(", ")}`).join(" / ")}`);
    }
  }
  return { missing, problems, restamped, bound };
}

const isTimeField = (k: string): boolean => /timestamp$/i.test(k);

/** The value without its time stamps (event_metadata.timestamp, shipped_timestamp, ...). */
function withoutTimes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTimes);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).filter(([k]) => !isTimeField(k)).map(([k, v]) => [k, withoutTimes(v)]));
  return value;
}

function timesOf(value: unknown, prefix = ""): string[] {
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) => (isTimeField(k) ? [`${prefix}${k}=${String(v)}`] : timesOf(v, `${prefix}${k}.`)));
}

