import { describe, expect, it } from "vitest";
import { behind, caughtUp, consumedTopics, sameEnds, serviceInputs } from "../../src/events/settle.js";

const at = (topic: string, partition: number, offset: bigint) => ({ topic, partition, offset });

describe("the drain signal's parts", () => {
  it("a group is behind on each partition it has not committed to the end", () => {
    const ends = new Map([["user-events/0", 5n], ["user-events/1", 0n], ["user-events/2", 2n]]);
    const committed = new Map([["user-events/0", 5n], ["user-events/2", 1n]]);
    expect(behind("order-service", ["user-events"], committed, ends)).toEqual(["order-service user-events/2 1/2"]);
    expect(behind("order-service", ["user-events"], new Map(), ends)).toEqual(["order-service user-events/0 none/5", "order-service user-events/2 none/2"]);
  });

  it("a reader has caught up when it holds the last record before each end of the topics it reads", () => {
    const ends = new Map([["user-events/0", 3n], ["user-events/1", 0n], ["order-events/0", 1n]]);
    expect(caughtUp([at("user-events", 0, 2n), at("order-events", 0, 0n)], ends)).toBe(true);
    expect(caughtUp([at("user-events", 0, 1n), at("order-events", 0, 0n)], ends)).toBe(false);
    // A topic it does not read does not hold it back.
    expect(caughtUp([at("user-events", 0, 2n)], ends, ["user-events"])).toBe(true);
    expect(caughtUp([at("user-events", 0, 2n)], ends)).toBe(false);
  });

  it("end offsets that moved are not quiet", () => {
    const a = new Map([["user-events/0", 3n]]);
    expect(sameEnds(undefined, a)).toBe(false);
    expect(sameEnds(a, new Map([["user-events/0", 3n]]))).toBe(true);
    expect(sameEnds(a, new Map([["user-events/0", 4n]]))).toBe(false);
  });

  it("knows what each service consumes", () => {
    expect(Object.keys(serviceInputs).sort()).toEqual(["analytics-service", "notification-service", "order-service"]);
    expect([...consumedTopics].sort()).toEqual(["notification-events", "order-events", "user-events"]);
  });
});
