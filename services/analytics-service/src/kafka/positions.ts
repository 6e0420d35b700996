// Which records were already handled once: the group's committed offsets at start, then our own progress.

/**
 * analytics keeps its state in memory and rebuilds it from the start of each topic, so records
 * below the committed offset come by again after a restart. Counting them again is harmless
 * (counts are idempotent on event id); dead-lettering them again is not.
 */
export class Positions {
  readonly #next = new Map<string, bigint>();
  /** This process's own progress only, without the committed offsets it started from. */
  readonly #handledHere = new Map<string, bigint>();

  /**
   * Takes in the group's committed offsets (the next offset to read per topic partition; -1 when
   * none). A mark never moves back: what this process handled but has not committed yet stays handled.
   */
  committed(offsets: Iterable<readonly [topic: string, partition: number, offset: bigint]>): void {
    for (const [topic, partition, offset] of offsets) {
      if (offset > (this.#next.get(`${topic}/${partition}`) ?? 0n)) this.#next.set(`${topic}/${partition}`, offset);
    }
  }

  /** True when this record was handled before (by this process or before a restart). */
  seen(topic: string, partition: number, offset: bigint): boolean {
    return offset < (this.#next.get(`${topic}/${partition}`) ?? 0n);
  }

  /** The next offset to handle: what lag is measured from. */
  next(topic: string, partition: number): bigint {
    return this.#next.get(`${topic}/${partition}`) ?? 0n;
  }

  /**
   * True when this process has handled the record already: its stream started again from the
   * beginning (after a broker error), and the state holds the record's effect. Skipping such
   * records keeps the state right without remembering every event id forever.
   */
  handledHere(topic: string, partition: number, offset: bigint): boolean {
    return offset < (this.#handledHere.get(`${topic}/${partition}`) ?? 0n);
  }

  handled(topic: string, partition: number, offset: bigint): void {
    const key = `${topic}/${partition}`;
    if (offset + 1n > (this.#next.get(key) ?? 0n)) this.#next.set(key, offset + 1n);
    if (offset + 1n > (this.#handledHere.get(key) ?? 0n)) this.#handledHere.set(key, offset + 1n);
  }
}
