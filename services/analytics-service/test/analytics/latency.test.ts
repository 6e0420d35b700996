import { describe, expect, it } from "vitest";
import { HopLatencies, percentile, type TimedEvent } from "../../src/analytics/latency.js";

function harness(options = { samplesPerHop: 100, maxWaiting: 100 }) {
  const known = new Map<string, TimedEvent>();
  const hops = new HopLatencies(options, (id) => known.get(id));
  const add = (id: string, type: string, timeMs: number, cause = ""): void => {
    const e = { type, timeMs };
    known.set(id, e);
    hops.record(id, e, cause);
  };
  return { hops, add };
}

describe("percentile", () => {
  it("takes the nearest rank", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(values, 50), percentile(values, 95), percentile(values, 99)]).toEqual([50, 95, 99]);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBe(0);
  });
});

describe("HopLatencies", () => {
  it("measures each hop from its cause's ce_time, per hop type", () => {
    const { hops, add } = harness();
    add("s", "UserSignupEvent", 1_000);
    add("o", "OrderCreatedEvent", 1_040, "s");
    add("m", "EmailSentEvent", 1_300, "s");
    add("m2", "EmailSentEvent", 1_100, "o");
    add("root", "OrderCreatedEvent", 2_000);
    expect(hops.snapshot()).toEqual({
      "UserSignupEvent -> OrderCreatedEvent": { count: 1, p50: 40, p95: 40, p99: 40 },
      "UserSignupEvent -> EmailSentEvent": { count: 1, p50: 300, p95: 300, p99: 300 },
      "OrderCreatedEvent -> EmailSentEvent": { count: 1, p50: 60, p95: 60, p99: 60 },
    });
  });

  it("measures an effect read before its cause once the cause arrives", () => {
    const { hops, add } = harness();
    add("m", "EmailSentEvent", 1_250, "s");
    expect(hops.snapshot()).toEqual({});
    add("s", "UserSignupEvent", 1_000);
    expect(hops.snapshot()).toEqual({ "UserSignupEvent -> EmailSentEvent": { count: 1, p50: 250, p95: 250, p99: 250 } });
  });

  it("gives p50/p95/p99 over the newest samples, keeping the total count", () => {
    const { hops, add } = harness({ samplesPerHop: 100, maxWaiting: 10 });
    add("s", "A", 0);
    // 50 slow hops, then 100 fast ones: only the fast ones are still in the window.
    for (let i = 0; i < 50; i += 1) add(`slow-${i}`, "B", 10_000, "s");
    for (let i = 1; i <= 100; i += 1) add(`fast-${i}`, "B", i, "s");
    expect(hops.snapshot()["A -> B"]).toEqual({ count: 150, p50: 50, p95: 95, p99: 99 });
  });

  it("forgets the oldest waiting effects beyond its bound", () => {
    const { hops, add } = harness({ samplesPerHop: 10, maxWaiting: 2 });
    add("e1", "B", 10, "c1");
    add("e2", "B", 20, "c2");
    add("e3", "B", 30, "c3");
    add("c1", "A", 0);
    add("c3", "A", 0);
    expect(hops.snapshot()["A -> B"]).toEqual({ count: 1, p50: 30, p95: 30, p99: 30 });
  });
});
