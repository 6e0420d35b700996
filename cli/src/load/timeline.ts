// Per-second buckets of a load run for the HTML plots: sends, completions and the latency of
// the chains that completed in each second.
import { LatencyHistogram } from "./percentiles.js";
import type { TimelinePoint } from "./result.js";

export class Timeline {
  private readonly sent = new Map<number, number>();
  private readonly completed = new Map<number, LatencyHistogram>();

  /** `startMs` is the epoch ms of the first send. */
  constructor(private readonly startMs: number) {}

  private second(epochMs: number): number {
    return Math.max(0, Math.floor((epochMs - this.startMs) / 1000));
  }

  addSent(epochMs: number): void {
    const s = this.second(epochMs);
    this.sent.set(s, (this.sent.get(s) ?? 0) + 1);
  }

  addCompleted(endEpochMs: number, chainMs: number): void {
    const s = this.second(endEpochMs);
    let h = this.completed.get(s);
    if (h === undefined) this.completed.set(s, (h = new LatencyHistogram()));
    h.record(chainMs);
  }

  points(): TimelinePoint[] {
    const last = Math.max(-1, ...this.sent.keys(), ...this.completed.keys());
    return Array.from({ length: last + 1 }, (_, t) => {
      const h = this.completed.get(t);
      return { t, sent: this.sent.get(t) ?? 0, completed: h?.count ?? 0, chain_p50_ms: h?.at(50) ?? 0, chain_p99_ms: h?.at(99) ?? 0 };
    });
  }
}
