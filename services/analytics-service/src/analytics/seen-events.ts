// The event ids already counted, for idempotence, kept per topic partition within a bounded window.
import type { TimedEvent } from "./latency.js";

/**
 * Remembers the ids of the newest `perPartition` events counted from each topic partition.
 *
 * Why per partition and by count: every copy of one event (a redelivery, a producer's re-send)
 * has the same key and so lands in the same partition, and a partition is read in the same
 * order live and on a rebuild. The window therefore holds the same ids at the same record in
 * both runs, and a rebuild from the log counts exactly what the live run counted, however long
 * the log. A window by age (wall clock) or one shared by all partitions would not: a rebuild
 * reads the partitions side by side at its own pace.
 */
export class SeenEvents {
  readonly #perPartition: number;
  readonly #byId = new Map<string, TimedEvent>();
  /** Per partition, ids oldest first; `head` is the oldest still kept. */
  readonly #windows = new Map<string, { ids: string[]; head: number }>();

  constructor(perPartition: number) {
    if (!Number.isInteger(perPartition) || perPartition < 1) throw new RangeError(`perPartition must be a positive integer, got ${perPartition}`);
    this.#perPartition = perPartition;
  }

  has(eventId: string): boolean {
    return this.#byId.has(eventId);
  }

  get(eventId: string): TimedEvent | undefined {
    return this.#byId.get(eventId);
  }

  /** Ids kept now: at most perPartition times the partitions read. */
  get size(): number {
    return this.#byId.size;
  }

  add(eventId: string, event: TimedEvent, partition: string): void {
    if (this.#byId.has(eventId)) return;
    this.#byId.set(eventId, event);
    let window = this.#windows.get(partition);
    if (window === undefined) {
      window = { ids: [], head: 0 };
      this.#windows.set(partition, window);
    }
    window.ids.push(eventId);
    while (window.ids.length - window.head > this.#perPartition) {
      const oldest = window.ids[window.head];
      window.head += 1;
      if (oldest !== undefined) this.#byId.delete(oldest);
    }
    // Drop the evicted prefix now and then instead of shifting the array at every event.
    if (window.head >= this.#perPartition) {
      window.ids = window.ids.slice(window.head);
      window.head = 0;
    }
  }
}
