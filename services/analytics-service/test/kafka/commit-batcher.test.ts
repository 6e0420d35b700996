import { describe, expect, it, vi } from "vitest";
import { CommitBatcher, type Committable } from "../../src/kafka/commit-batcher.js";

function message(topic: string, partition: number, offset: bigint, committed: string[], fail = false): Committable {
  return {
    topic,
    partition,
    offset,
    commit: async () => {
      if (fail) throw new Error("rebalance");
      committed.push(`${topic}/${partition}@${offset}`);
    },
  };
}

describe("CommitBatcher", () => {
  it("commits the newest handled record of each partition once per interval", async () => {
    vi.useFakeTimers();
    try {
      const committed: string[] = [];
      const batcher = new CommitBatcher(1000, () => {});
      for (let offset = 0n; offset < 5n; offset += 1n) batcher.handled(message("user-events", 0, offset, committed));
      batcher.handled(message("order-events", 2, 7n, committed));
      expect(committed).toEqual([]);
      expect(batcher.pending).toBe(2);
      await vi.advanceTimersByTimeAsync(1000);
      expect(committed).toEqual(["user-events/0@4", "order-events/2@7"]);
      expect(batcher.pending).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it("commits at once when asked (a dead-lettered record), with what else is pending", async () => {
    const committed: string[] = [];
    const batcher = new CommitBatcher(60_000, () => {});
    batcher.handled(message("user-events", 1, 3n, committed));
    batcher.handled(message("user-events", 0, 9n, committed), true);
    await Promise.resolve();
    expect(committed.sort()).toEqual(["user-events/0@9", "user-events/1@3"]);
  });

  it("flush commits what is pending and reports a failed commit", async () => {
    const committed: string[] = [];
    const failures: string[] = [];
    const batcher = new CommitBatcher(60_000, (_e, where) => failures.push(`${where.topic}/${where.partition}`));
    batcher.handled(message("user-events", 0, 1n, committed));
    batcher.handled(message("notification-events", 2, 4n, committed, true));
    await batcher.flush();
    expect(committed).toEqual(["user-events/0@1"]);
    expect(failures).toEqual(["notification-events/2"]);
    await batcher.flush();
    expect(committed).toEqual(["user-events/0@1"]);
  });
});
