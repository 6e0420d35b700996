// The reproduction of a fresh machine's failure: Prometheus scraped the broker before `up` created
// the topics, so the first sample is 0. Waiting for "a sample" returned that 0 and the assertion
// on it failed; the wait must go on until the count itself is there.
import { describe, expect, it } from "vitest";
import { brokerPartitions, contractPartitionsPerBroker, type Sample } from "./broker-partitions.js";

/** A Prometheus that answers the scripted values in turn, then the last one for ever. */
function scripted(values: readonly (number | undefined)[]): { query: (expr: string) => Promise<Sample[]>; calls: () => number } {
  let calls = 0;
  return {
    query: async () => {
      const value = values[Math.min(calls++, values.length - 1)];
      return value === undefined ? [] : [{ value: [Date.now() / 1000, String(value)] }];
    },
    calls: () => calls,
  };
}

describe("brokerPartitions", () => {
  it("waits past a scrape made before the topics existed (0) until the contract's partitions are counted", async () => {
    const prometheus = scripted([undefined, 0, 0, contractPartitionsPerBroker]);
    expect(await brokerPartitions(prometheus.query, "", 1, 10_000)).toBe(contractPartitionsPerBroker);
    expect(prometheus.calls()).toBe(4);
  });

  it("counts a replica of each partition on every broker", async () => {
    const prometheus = scripted([contractPartitionsPerBroker, 3 * contractPartitionsPerBroker]);
    expect(await brokerPartitions(prometheus.query, "", 3, 10_000)).toBe(3 * contractPartitionsPerBroker);
  });

  it("fails within its bound naming the last count it read", async () => {
    const prometheus = scripted([0]);
    await expect(brokerPartitions(prometheus.query, "", 1, 1_200)).rejects.toThrow(/reach 24 .*last read: 0/);
  });
});
