import { describe, expect, it } from "vitest";
import { computeLag } from "../../src/admin/lag.js";

const offsets = (entries: Array<[string, bigint[]]>) => new Map(entries.map(([t, o]) => [t, new Map(o.map((v, p) => [p, v]))]));

describe("computeLag", () => {
  it("sums each group's lag per topic; a partition without a commit counts whole", () => {
    const ends = offsets([
      ["user-events", [10n, 5n, 0n]],
      ["order-events", [4n, 4n, 4n]],
    ]);
    const commits = new Map([
      ["order-service", offsets([["user-events", [10n, 3n, -1n]]])],
      ["analytics-service", offsets([["user-events", [10n, 5n, -1n]], ["order-events", [4n, -1n, 1n]]])],
    ]);
    expect(computeLag(ends, commits)).toEqual([
      { group: "analytics-service", topic: "order-events", lag: 7, committed: 5, end: 12 },
      { group: "analytics-service", topic: "user-events", lag: 0, committed: 15, end: 15 },
      { group: "order-service", topic: "user-events", lag: 2, committed: 13, end: 15 },
    ]);
  });
});
