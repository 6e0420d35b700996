// Per-hop latency: from a cause's ce_time to its effect's, kept per hop type
// ("UserSignupEvent -> OrderCreatedEvent") with p50/p95/p99.
import type { HopLatency } from "./snapshot.js";

export interface TimedEvent {
  readonly type: string;
  readonly timeMs: number;
}

export interface HopLatenciesOptions {
  /** Samples kept per hop type (the newest); percentiles are over these. */
  readonly samplesPerHop: number;
  /** Effects kept while their cause has not been read yet (topics are read side by side, in no shared order). */
  readonly maxWaiting: number;
}

/** Nearest-rank percentile of sorted values (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? 0;
}

export class HopLatencies {
  readonly #options: HopLatenciesOptions;
  readonly #lookup: (eventId: string) => TimedEvent | undefined;
  readonly #samples = new Map<string, { values: number[]; next: number; count: number }>();
  /** cause id -> effects that arrived before it. */
  readonly #waiting = new Map<string, TimedEvent[]>();
  #waitingCount = 0;

  /** `lookup` finds an event already counted, by id. */
  constructor(options: HopLatenciesOptions, lookup: (eventId: string) => TimedEvent | undefined) {
    this.#options = options;
    this.#lookup = lookup;
  }

  /** Records the hop into `event` (when its cause is known) and the hops out of it that waited for it. */
  record(eventId: string, event: TimedEvent, causationId: string): void {
    if (causationId !== "" && causationId !== eventId) {
      const cause = this.#lookup(causationId);
      if (cause !== undefined) this.#sample(cause, event);
      else this.#wait(causationId, event);
    }
    const effects = this.#waiting.get(eventId);
    if (effects !== undefined) {
      this.#waiting.delete(eventId);
      this.#waitingCount -= effects.length;
      for (const effect of effects) this.#sample(event, effect);
    }
  }

  snapshot(): Record<string, HopLatency> {
    const result: Record<string, HopLatency> = {};
    for (const [hop, s] of this.#samples) {
      const sorted = [...s.values].sort((a, b) => a - b);
      result[hop] = { count: s.count, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
    }
    return result;
  }

  #sample(cause: TimedEvent, effect: TimedEvent): void {
    const hop = `${cause.type} -> ${effect.type}`;
    const s = this.#samples.get(hop) ?? { values: [], next: 0, count: 0 };
    this.#samples.set(hop, s);
    const value = effect.timeMs - cause.timeMs;
    // A ring of the newest samples: memory stays bounded however many events pass.
    if (s.values.length < this.#options.samplesPerHop) s.values.push(value);
    else s.values[s.next] = value;
    s.next = (s.next + 1) % this.#options.samplesPerHop;
    s.count += 1;
  }

  #wait(causeId: string, effect: TimedEvent): void {
    if (this.#waitingCount >= this.#options.maxWaiting) {
      // The cause that has waited longest is probably never coming (a producer outside analytics' topics).
      const oldest = this.#waiting.keys().next();
      if (oldest.done !== true) {
        this.#waitingCount -= this.#waiting.get(oldest.value)?.length ?? 0;
        this.#waiting.delete(oldest.value);
      }
    }
    const list = this.#waiting.get(causeId) ?? [];
    list.push(effect);
    this.#waiting.set(causeId, list);
    this.#waitingCount += 1;
  }
}
