import { pino } from "pino";
import { describe, expect, it, vi } from "vitest";
import { Aggregate } from "../../src/analytics/aggregate.js";
import type { Envelope } from "../../src/events/envelope.js";
import { createAnalyticsPublisher } from "../../src/kafka/analytics-publisher.js";
import type { ProducedRecord, RecordProducer } from "../../src/kafka/producer.js";

const trigger: Envelope = {
  id: "e-1",
  type: "polyglot.events.v1.UserSignupEvent",
  service: "user-service",
  time: "2026-11-25T09:00:00Z",
  timeMs: Date.parse("2026-11-25T09:00:00Z"),
  correlationId: "c-1",
  causationId: "",
  traceparent: "",
};
const change = { metricName: "user_signups", labels: {}, previousValue: 0, value: 1 };

function fakeProducer(fail = false) {
  const batches: ProducedRecord[][] = [];
  const producer: RecordProducer = {
    async send(records) {
      if (fail) throw new Error("broker down");
      batches.push([...records]);
    },
    async close() {},
  };
  return { producer, batches };
}

const deps = (producer: RecordProducer, batchSize = 3, lingerMs = 10_000, maxPending = 1_000) => ({
  producer,
  aggregate: new Aggregate({ recentEventsLimit: 5 }),
  logger: pino({ level: "silent" }),
  intervalSeconds: 60,
  batchSize,
  lingerMs,
  maxPending,
});

describe("AnalyticsPublisher", () => {
  it("sends a full batch at once, and what remains on stop", async () => {
    const { producer, batches } = fakeProducer();
    const publisher = createAnalyticsPublisher(deps(producer));
    for (let i = 0; i < 4; i += 1) await publisher.updates([change], trigger);
    await Promise.resolve();
    expect(batches.map((b) => b.length)).toEqual([3]);
    await publisher.stop();
    expect(batches.map((b) => b.length)).toEqual([3, 1]);
    expect(batches.flat().every((r) => r.topic === "analytics-events")).toBe(true);
  });

  it("sends at once when idle, and spaces the next send at least the linger time after it", async () => {
    vi.useFakeTimers();
    try {
      const { producer, batches } = fakeProducer();
      const publisher = createAnalyticsPublisher(deps(producer, 100, 20));
      await publisher.updates([change, change], trigger);
      await vi.advanceTimersByTimeAsync(0);
      expect(batches.map((b) => b.length)).toEqual([2]);
      await vi.advanceTimersByTimeAsync(5);
      await publisher.updates([change], trigger);
      await publisher.updates([change], trigger);
      await vi.advanceTimersByTimeAsync(10);
      expect(batches.map((b) => b.length)).toEqual([2]);
      await vi.advanceTimersByTimeAsync(6);
      expect(batches.map((b) => b.length)).toEqual([2, 2]);
      // Long after the last send: at once again.
      await vi.advanceTimersByTimeAsync(100);
      await publisher.updates([change], trigger);
      await vi.advanceTimersByTimeAsync(0);
      expect(batches.map((b) => b.length)).toEqual([2, 2, 1]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("gathers what comes while a send is in flight into the next", async () => {
    let release: () => void = () => {};
    const sent: number[] = [];
    const producer: RecordProducer = {
      send: (records) =>
        new Promise<void>((resolve) => {
          sent.push(records.length);
          release = resolve;
        }),
      async close() {},
    };
    const publisher = createAnalyticsPublisher(deps(producer, 100, 0));
    await publisher.updates([change, change], trigger);
    await new Promise((r) => setImmediate(r));
    expect(sent).toEqual([2]);
    for (let i = 0; i < 5; i += 1) await publisher.updates([change], trigger);
    await new Promise((r) => setImmediate(r));
    expect(sent).toEqual([2]);
    release();
    await new Promise((r) => setTimeout(r, 5));
    expect(sent).toEqual([2, 5]);
    release();
  });

  it("makes the caller wait while too many records are unacknowledged", async () => {
    let release: () => void = () => {};
    const sent: number[] = [];
    const producer: RecordProducer = {
      send: (records) =>
        new Promise<void>((resolve) => {
          release = () => {
            sent.push(records.length);
            resolve();
          };
        }),
      async close() {},
    };
    const publisher = createAnalyticsPublisher(deps(producer, 2, 10_000, 4));
    await publisher.updates([change, change], trigger);
    let done = false;
    const waiting = publisher.updates([change, change], trigger).then(() => (done = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(done).toBe(false);
    release();
    await new Promise((r) => setTimeout(r, 0));
    release();
    await waiting;
    expect(sent).toEqual([2, 2]);
  });

  it("drops a batch the broker refused and goes on", async () => {
    const { producer } = fakeProducer(true);
    const publisher = createAnalyticsPublisher(deps(producer, 1));
    await expect(publisher.updates([change], trigger)).resolves.toBeUndefined();
    await expect(publisher.stop()).resolves.toBeUndefined();
  });
});
