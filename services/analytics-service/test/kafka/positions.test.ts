import { describe, expect, it } from "vitest";
import { Positions } from "../../src/kafka/positions.js";

describe("Positions", () => {
  it("treats records below the committed offset as seen, and learns from what it handles", () => {
    const p = new Positions();
    p.committed([
      ["user-events", 0, 10n],
      ["user-events", 1, -1n],
    ]);
    expect(p.seen("user-events", 0, 9n)).toBe(true);
    expect(p.seen("user-events", 0, 10n)).toBe(false);
    expect(p.seen("user-events", 1, 0n)).toBe(false);
    expect(p.seen("order-events", 0, 0n)).toBe(false);
    p.handled("user-events", 0, 10n);
    expect(p.seen("user-events", 0, 10n)).toBe(true);
    expect(p.next("user-events", 0)).toBe(11n);
    expect(p.next("order-events", 2)).toBe(0n);
    // A rewind (the stream starting over after a rebalance) never moves the mark back.
    p.handled("user-events", 0, 3n);
    expect(p.seen("user-events", 0, 10n)).toBe(true);
    // Nor does an older commit read again when the consumer starts over.
    p.committed([["user-events", 0, 5n]]);
    expect(p.seen("user-events", 0, 10n)).toBe(true);
  });
});
