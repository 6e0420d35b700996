// What the system did about a fault, read back from the broker after `chaos kill` /
// `broker-pause` / `poison`: how long the services' consumer groups took to drain their lag,
// what the `.dlq` topics gained, and whether the chains around the fault completed.
import pc from "picocolors";
import type { Context } from "../context.js";
import { EventLog } from "../events/event-log.js";
import { serviceOf } from "../logs/render.js";
import { eventTopics } from "../stack/kafka/topics.js";
import { readState } from "../stack/state.js";
import { countReasons, describeGrowth, endOffsets } from "./dlq.js";
import { groupLags, type GroupLag } from "./lag.js";
import { chainCounts, drainState, incompleteLines, judgeChains, lagSummary, verdict, type DrainState, type JudgedChain } from "./recovery.js";
import { runningComponents } from "./signals.js";

/** How far before the fault the chains to judge may start: a chain in flight when the fault hit is one it may break. */
export const chainWindowLeadMs = 60_000;

const chainTopics = ["user-events", "order-events", "notification-events"] as const;

const seconds = (sinceMs: number): string => `${((performance.now() - sinceMs) / 1000).toFixed(1)} s`;

export type DlqSnapshot = ReadonlyMap<string, ReadonlyMap<string, number>>;

/** The records of every `.dlq` topic per `dlq.reason`. */
export async function dlqSnapshot(bootstrap: string): Promise<DlqSnapshot> {
  const dlqs = eventTopics.map((t) => `${t}.dlq`);
  const counts = await Promise.all(dlqs.map((d) => countReasons(bootstrap, d)));
  return new Map(dlqs.map((d, i) => [d, counts[i] ?? new Map()]));
}

/** The services that were part of the stack and have no running instance now. */
async function downServices(ctx: Context): Promise<Set<string>> {
  const state = await readState(ctx.stateDir);
  if (state === undefined) return new Set();
  const running = new Set((await runningComponents(ctx)).map((c) => serviceOf(c.name)));
  return new Set(state.components.map((c) => serviceOf(c.name)).filter((s) => !running.has(s)));
}

async function lagsNow(bootstrap: string): Promise<GroupLag[] | undefined> {
  try {
    return await groupLags(bootstrap);
  } catch {
    return undefined;
  }
}

/** Polls the groups' lag until it has drained (stranded groups aside) or `deadline`; prints progress every 5 s. */
async function waitDrained(bootstrap: string, deadline: number): Promise<{ state: DrainState; lags: GroupLag[]; seconds: string }> {
  const since = performance.now();
  let lastPrint = since;
  let lags = (await lagsNow(bootstrap)) ?? [];
  let state = drainState(lags);
  while (!state.drained && Date.now() < deadline) {
    if (performance.now() - lastPrint >= 5_000) {
      console.log(pc.dim(`  ${seconds(since)}: lag ${lagSummary(lags)}`));
      lastPrint = performance.now();
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    lags = (await lagsNow(bootstrap)) ?? lags;
    state = drainState(lags);
  }
  return { state, lags, seconds: seconds(since) };
}

/** The topics the chains of sign-ups and orders run on, and their names on the broker (the contract's, or a test's own). */
export type ChainTopicNames = Readonly<Record<(typeof chainTopics)[number], string>>;

const contractNames: ChainTopicNames = { "user-events": "user-events", "order-events": "order-events", "notification-events": "notification-events" };

/** A live copy of the chain topics, judged on demand. */
export class ChainReader {
  private constructor(
    private readonly log: EventLog,
    private readonly bootstrap: string,
    private readonly names: ChainTopicNames,
  ) {}

  static async open(bootstrap: string, names: ChainTopicNames = contractNames): Promise<ChainReader> {
    return new ChainReader(await EventLog.open(bootstrap.split(","), Object.values(names)), bootstrap, names);
  }

  /** Reads until every record that is on the topics now has been read (bounded by `deadline`, at least 15 s). */
  async catchUp(deadline: number): Promise<boolean> {
    const actual = Object.values(this.names);
    const ends = await Promise.all(actual.map(async (t) => [t, await endOffsets(this.bootstrap, t)] as const));
    const wanted = ends.flatMap(([t, m]) => [...m].map(([p, end]) => ({ key: `${t}/${p}`, last: end - 1n })));
    try {
      await this.log.waitFor(
        "the chain topics read to their end",
        (records) => {
          const seen = new Map<string, bigint>();
          for (const r of records) {
            const k = `${r.topic}/${r.partition}`;
            if ((seen.get(k) ?? -1n) < r.offset) seen.set(k, r.offset);
          }
          return wanted.every((w) => (seen.get(w.key) ?? -1n) >= w.last);
        },
        Math.max(deadline - Date.now(), 15_000),
      );
      return true;
    } catch {
      return false;
    }
  }

  /** The chains whose root is from `since` on, over what has been read, under the contract's topic names. */
  judge(since: string): JudgedChain[] {
    const logical = new Map(Object.entries(this.names).map(([contract, actual]) => [actual, contract]));
    return judgeChains(this.log.records.map((r) => ({ ...r, topic: logical.get(r.topic) ?? r.topic })), since);
  }

  close(): Promise<void> {
    return this.log.close();
  }
}

/** Judges the chains since `since`, again each second while some are incomplete and not blocked by a down service, until `deadline`. */
async function waitChains(ctx: Context, bootstrap: string, since: string, deadline: number): Promise<{ chains: JudgedChain[]; down: Set<string>; read: boolean }> {
  const reader = await ChainReader.open(bootstrap);
  try {
    for (;;) {
      const read = await reader.catchUp(deadline);
      const down = await downServices(ctx);
      const chains = reader.judge(since);
      const v = verdict(chains, down);
      if (v.incomplete.length === v.blocked.length || Date.now() >= deadline) return { chains, down, read };
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  } finally {
    await reader.close();
  }
}

export interface AftermathOptions {
  readonly bootstrap: string;
  /** When the fault began. */
  readonly faultAt: Date;
  /** Date.now() after which nothing more is waited for. */
  readonly deadline: number;
  readonly waitSeconds: number;
  /** The `.dlq` topics before the fault; undefined for `poison`, which reports its own topic's DLQ. */
  readonly dlqBefore?: DlqSnapshot;
}

/**
 * Prints what the system did after the fault: lag drained (and how long it took), the `.dlq`
 * counts before and after, the chains around the fault. Returns true when it recovered, and
 * otherwise prints what to do next.
 */
export async function reportAftermath(ctx: Context, o: AftermathOptions): Promise<boolean> {
  const next: string[] = [];
  console.log(pc.bold(`afterwards (waiting up to ${o.waitSeconds} s):`));
  const drain = await waitDrained(o.bootstrap, o.deadline);
  const stranded = drain.state.stranded.map((g) => g.group);
  if (drain.state.drained) console.log(`  ${stranded.length === 0 ? "lag drained" : "every group with a member drained its lag"} after ${drain.seconds}: ${lagSummary(drain.lags)}`);
  else console.log(pc.red(`  lag not drained after ${drain.seconds}: ${lagSummary(drain.lags)} (still consuming: ${drain.state.waiting.join(", ")})`));
  for (const s of drain.state.stranded) {
    console.log(pc.yellow(`  ${s.group} has no member: its lag of ${s.lag} waits until it runs again`));
  }
  if (!drain.state.drained) next.push(`the groups still lag: wait and look again (./polyglot chaos ... --wait 120), or read ./polyglot logs ${drain.state.waiting[0] ?? ""}`.trimEnd());

  if (o.dlqBefore !== undefined) {
    const after = await dlqSnapshot(o.bootstrap);
    for (const [dlq, before] of o.dlqBefore) {
      const now = after.get(dlq) ?? new Map<string, number>();
      const grew = [...now].reduce((n, [r, c]) => n + c - (before.get(r) ?? 0), 0);
      const text = `${dlq.padEnd(24)} before: ${describeGrowth(before, before).join(", ") || "empty"}; after: ${describeGrowth(before, now).join(", ") || "empty"}`;
      console.log(`  ${grew > 0 ? pc.yellow(text) : text}`);
    }
  }

  const since = new Date(o.faultAt.getTime() - chainWindowLeadMs).toISOString();
  const { chains, down, read } = await waitChains(ctx, o.bootstrap, since, o.deadline);
  const v = verdict(chains, down);
  console.log(`  chains whose root is from ${since} (${chainWindowLeadMs / 1000} s before the fault) on: ${chainCounts(chains)}${read ? "" : " (the topics were not read to their end in time)"}`);
  for (const line of incompleteLines(v.incomplete, down).slice(0, 10)) console.log(pc.yellow(`    ${line}`));
  if (v.incomplete.length > 10) console.log(pc.yellow(`    ... and ${v.incomplete.length - 10} more`));
  for (const c of v.faulty) for (const p of c.outcome.problems.slice(0, 3)) console.log(pc.red(`    ${p}`));

  const blockers = [...new Set(v.blocked.flatMap((c) => c.waitsFor))].filter((s) => down.has(s));
  const restart = [...new Set([...stranded, ...blockers])].filter((s) => down.has(s));
  if (restart.length > 0) {
    const chainsThen = v.blocked.length === 0 ? "" : ` and the ${v.blocked.length} chain${v.blocked.length === 1 ? "" : "s"} waiting for ${blockers.join(", ")} complete${v.blocked.length === 1 ? "s" : ""}`;
    next.push(`./polyglot up starts ${restart.join(", ")} again; then ${restart.length === 1 ? "its group drains its" : "their groups drain their"} lag${chainsThen}`);
  }
  const strandedUp = stranded.filter((g) => !down.has(g));
  if (strandedUp.length > 0) next.push(`${strandedUp.join(", ")} has no member though its service runs: ./polyglot status`);
  const stuck = v.incomplete.filter((c) => !v.blocked.includes(c));
  if (stuck.length > 0) next.push(`${stuck.length} chain${stuck.length === 1 ? "" : "s"} did not complete in time: ./polyglot logs --correlation ${stuck[0]?.correlationId} shows what each service did`);
  if (v.faulty.length > 0) next.push(`${v.faulty.length} chain${v.faulty.length === 1 ? "" : "s"} hold duplicate or unexpected events (above): ./polyglot logs --correlation ${v.faulty[0]?.correlationId}`);
  if (!read) next.push("the chain topics could not be read to their end: is the broker up (./polyglot status)?");
  const recovered = next.length === 0;
  if (recovered) console.log(pc.green(`recovered: every group drained its lag, ${v.complete} chain${v.complete === 1 ? "" : "s"} around the fault complete.`));
  else for (const n of next) console.log(pc.red(`Next: ${n}`));
  return recovered;
}
