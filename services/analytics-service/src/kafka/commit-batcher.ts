// Offset commits for the records the consumer handled: one OffsetCommit per interval for every
// partition that moved, instead of one per record.

/** What the batcher needs of a consumed message: its position and a way to commit past it. */
export interface Committable {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  commit(): unknown;
}

export type CommitFailure = (error: unknown, where: { topic: string; partition: number }) => void;

/**
 * A commit per record was about a fifth of the broker's requests per chain. Committing the
 * newest handled record of each partition at most every `intervalMs` keeps at-least-once (only
 * handled records are committed) and the counters exact (they are rebuilt from the log and
 * counted once by event id). What a crash costs is bounded by the interval: the records handled
 * in it are taken as new by the next process, which publishes their AnalyticsUpdates again (with
 * the same values). A dead-lettered record is committed at once, so it is never dead-lettered twice.
 */
export class CommitBatcher {
  readonly #intervalMs: number;
  readonly #onFailure: CommitFailure;
  /** The newest handled record per topic partition, not committed yet. */
  readonly #pending = new Map<string, Committable>();
  #timer: NodeJS.Timeout | undefined;

  constructor(intervalMs: number, onFailure: CommitFailure) {
    this.#intervalMs = intervalMs;
    this.#onFailure = onFailure;
  }

  /** Marks `message` handled; `now` commits at once (with everything pending). */
  handled(message: Committable, now = false): void {
    this.#pending.set(`${message.topic}/${message.partition}`, message);
    if (now || this.#intervalMs === 0) void this.flush();
    else if (this.#timer === undefined) {
      this.#timer = setTimeout(() => void this.flush(), this.#intervalMs);
      this.#timer.unref();
    }
  }

  /** Number of partitions with a handled record not committed yet. */
  get pending(): number {
    return this.#pending.size;
  }

  /**
   * Commits every pending position; resolves when the broker answered. The consumer merges
   * commits issued together into one request, and one issued while another is in flight into the next.
   */
  async flush(): Promise<void> {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const messages = [...this.#pending.values()];
    this.#pending.clear();
    await Promise.all(
      messages.map((m) =>
        Promise.resolve(m.commit()).catch((e: unknown) => this.#onFailure(e, { topic: m.topic, partition: m.partition })),
      ),
    );
  }
}
