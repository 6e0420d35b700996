// Follows every chain a load run starts, by reading the event topics back (the stack's own
// decoding, cli/src/events/event-log.ts) and judging each chain with the e2e tests' rules
// (cli/src/events/chain-check.ts, chain-end.ts) whenever one of its records arrives.
import { endOffsets } from "../chaos/dlq.js";
import { ChainIndex } from "../events/chain-check.js";
import { hopsOf, judgeToAnalytics, type Hop } from "../events/chain-end.js";
import type { Step } from "../events/chain-expectations.js";
import { EventLog, eventTopics } from "../events/event-log.js";

export type ChainKind = "sign-up" | "order";

export interface TrackedChain {
  readonly kind: ChainKind;
  readonly correlationId: string;
  readonly steps: readonly Step[];
  /** Epoch ms (sub-ms) when its HTTP request went out: chain latency runs from here. */
  readonly sentAtMs: number;
  /** The user id, once the HTTP answer named it (records are keyed by it). */
  key?: string;
}

export interface CompletedChain {
  readonly chain: TrackedChain;
  /** Request sent -> the chain's last event (the AnalyticsUpdate of its last e-mail). */
  readonly chainMs: number;
  /** Epoch ms of that last event. */
  readonly endMs: number;
  readonly hops: readonly Hop[];
  /** Duplicates or unexpected events the judgement found. */
  readonly problems: readonly string[];
}

export interface FollowUpdate {
  readonly completed: CompletedChain[];
  /** Sign-up chains whose welcome order was seen since the last poll (their user may order now). */
  readonly welcomed: TrackedChain[];
}

export class ChainFollower {
  private readonly wanted = new Set<string>();
  private readonly chains = new Map<string, TrackedChain>();
  private readonly open = new Set<string>();
  private readonly welcomed = new Set<string>();
  private readonly index: ChainIndex;
  /** Chains to judge again at the next poll: a record arrived, or their key became known. */
  private dirty = new Set<string>();

  private constructor(private readonly log: EventLog) {
    this.index = new ChainIndex(log, this.wanted);
  }

  /**
   * Starts reading at the topics' current ends (the run's records all come later), so a stack
   * with a long history costs nothing to follow; records written before `skipBefore` (epoch ms)
   * are skipped undecoded besides.
   */
  static async open(bootstrap: string, skipBefore: number): Promise<ChainFollower> {
    const ends = await Promise.all(eventTopics.map(async (topic) => [...(await endOffsets(bootstrap, topic))].map(([partition, offset]) => ({ topic, partition, offset }))));
    return new ChainFollower(await EventLog.open(bootstrap.split(","), eventTopics, { skipBefore, startAt: ends.flat() }));
  }

  /** Keeps the records of these correlation ids from now on, before their chains are tracked. */
  expect(correlationIds: readonly string[]): void {
    for (const c of correlationIds) this.wanted.add(c);
  }

  /** Registers a chain before its request goes out, so none of its records is missed. */
  track(chain: TrackedChain): void {
    this.wanted.add(chain.correlationId);
    this.chains.set(chain.correlationId, chain);
    this.open.add(chain.correlationId);
  }

  /** The HTTP answer named the user: the chain can be judged. */
  setKey(correlationId: string, key: string): void {
    const chain = this.chains.get(correlationId);
    if (chain === undefined) return;
    chain.key = key;
    this.dirty.add(correlationId);
  }

  /** The request was refused: nothing will follow, the chain is not waited for. */
  drop(correlationId: string): void {
    this.open.delete(correlationId);
    this.wanted.delete(correlationId);
  }

  /** Chains tracked and not complete yet (refused ones aside). */
  get pending(): number {
    return this.open.size;
  }

  pendingOf(kind: ChainKind): number {
    let n = 0;
    for (const c of this.open) if (this.chains.get(c)?.kind === kind) n++;
    return n;
  }

  /** Records read so far (for the progress line). */
  get recordsRead(): number {
    return this.log.records.length;
  }

  /** Judges the chains that gained a record since the last call. */
  poll(): FollowUpdate {
    for (const c of this.index.update()) this.dirty.add(c);
    const dirty = this.dirty;
    this.dirty = new Set();
    const completed: CompletedChain[] = [];
    const welcomed: TrackedChain[] = [];
    for (const correlationId of dirty) {
      const chain = this.chains.get(correlationId);
      if (chain?.key === undefined || !this.open.has(correlationId)) continue;
      // Each step binds a distinct event, so a chain with fewer events than steps cannot be
      // complete: it is judged then only while a sign-up waits for its welcome order. Judging
      // every chain at each of its 16 records made the generator's cost grow with the rate.
      const awaitingWelcome = chain.kind === "sign-up" && !this.welcomed.has(correlationId);
      if (this.index.events(correlationId).size < chain.steps.length && !awaitingWelcome) continue;
      const judged = judgeToAnalytics({ label: `${chain.kind} ${correlationId}`, steps: chain.steps, correlationId, key: chain.key }, this.index.events(correlationId));
      if (chain.kind === "sign-up" && !this.welcomed.has(correlationId) && judged.outcome.bound.has("welcome order")) {
        this.welcomed.add(correlationId);
        welcomed.push(chain);
      }
      if (!judged.complete || judged.end?.timestamp === undefined) continue;
      this.open.delete(correlationId);
      completed.push({ chain, chainMs: judged.end.timestamp - chain.sentAtMs, endMs: judged.end.timestamp, hops: hopsOf(chain.steps, judged), problems: judged.outcome.problems });
    }
    return { completed, welcomed };
  }

  /**
   * What the open chains wait for: per service, how many chains' next missing step it writes
   * (analytics-service when only the AnalyticsUpdate is missing; "the HTTP answer" before the
   * user id is known).
   */
  waitingFor(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const chain of this.openChains()) {
      let who: string[];
      if (chain.key === undefined) who = ["the HTTP answer"];
      else {
        const judged = judgeToAnalytics({ label: chain.correlationId, steps: chain.steps, correlationId: chain.correlationId, key: chain.key }, this.index.events(chain.correlationId));
        const next = chain.steps.filter((s) => judged.outcome.missing.includes(s.name) && (s.cause === undefined || judged.outcome.bound.has(s.cause)));
        who = next.length === 0 ? ["analytics-service"] : [...new Set(next.map((s) => s.source.replace(/^\//, "")))];
      }
      for (const w of who) out[w] = (out[w] ?? 0) + 1;
    }
    return out;
  }

  /** The correlation ids of the chains still open, by kind. */
  openChains(): TrackedChain[] {
    return [...this.open].map((c) => this.chains.get(c)).filter((c): c is TrackedChain => c !== undefined);
  }

  close(): Promise<void> {
    return this.log.close();
  }
}
