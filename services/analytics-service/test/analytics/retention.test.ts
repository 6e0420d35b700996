// Memory stays bounded: the event ids kept for exactly-once counting, the DLQ positions and the
// chain index all have a limit, and a rebuild that reads the partitions in another interleaving
// still counts exactly what the live run counted.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Aggregate } from "../../src/analytics/aggregate.js";
import { ChainIndex } from "../../src/analytics/chains.js";
import { SeenEvents } from "../../src/analytics/seen-events.js";
import type { RecentEvent } from "../../src/analytics/snapshot.js";
import { decodeRecord, type AnalyticsEvent, type RawRecord } from "../../src/events/decode.js";
import { Positions } from "../../src/kafka/positions.js";
import { emailSent, orderCreated, signup } from "../fixtures.js";

function event(raw: RawRecord): AnalyticsEvent {
  const decoded = decodeRecord(raw);
  if (!decoded.ok) throw new Error(`fixture does not decode: ${decoded.error}`);
  return decoded.event;
}

const timed = { type: "E", timeMs: 0 };

describe("SeenEvents", () => {
  it("keeps the newest ids of each partition, no more", () => {
    const seen = new SeenEvents(3);
    for (const id of ["a1", "a2", "a3", "a4"]) seen.add(id, timed, "t/0");
    seen.add("b1", timed, "t/1");
    expect(seen.has("a1")).toBe(false);
    expect(["a2", "a3", "a4", "b1"].every((id) => seen.has(id))).toBe(true);
    expect(seen.size).toBe(4);
    // A busy partition never pushes out another partition's ids.
    for (let i = 0; i < 1_000; i += 1) seen.add(`x${i}`, timed, "t/0");
    expect(seen.has("b1")).toBe(true);
    expect(seen.size).toBe(4);
  });
});

describe("Aggregate retention", () => {
  it("holds at most the window per partition however many events pass, and counts each once", () => {
    const agg = new Aggregate({ recentEventsLimit: 5, seenPerPartition: 100 });
    for (let i = 0; i < 3_000; i += 1) expect(agg.apply(event(emailSent({ partition: i % 3 }))).kind).toBe("counted");
    expect(agg.seenEventIds).toBe(300);
    expect(agg.snapshot()).toMatchObject({ emailsSent: 3_000, eventsTotal: 3_000 });
    expect(agg.snapshot().recentEvents).toHaveLength(5);
  });

  it("ignores a copy within the window; one further back than the window counts again (the stated limit)", () => {
    const agg = new Aggregate({ recentEventsLimit: 5, seenPerPartition: 10 });
    const original = orderCreated("10.00", { partition: 1 });
    expect(agg.apply(event(original)).kind).toBe("counted");
    // Other partitions and topics do not move this partition's window.
    for (let i = 0; i < 50; i += 1) agg.apply(event(emailSent({ partition: 1 })));
    for (let i = 0; i < 9; i += 1) agg.apply(event(orderCreated("1.00", { partition: 1 })));
    expect(agg.apply(event(original)).kind).toBe("duplicate");
    agg.apply(event(orderCreated("1.00", { partition: 1 })));
    expect(agg.apply(event(original)).kind).toBe("counted");
    expect(agg.snapshot().ordersCreated).toBe(12);
  });

  it("a rebuild reading the partitions in another interleaving ends with the same numbers", () => {
    // Copies 5 records back are inside the window of their partition, though 15 back in the live interleaving.
    const window = 10;
    // Three partitions, each with copies of earlier events at distances inside and beyond the window.
    const partitions = [0, 1, 2].map((p) => {
      const log: RawRecord[] = [];
      for (let i = 0; i < 200; i += 1) {
        const make = [() => signup({ partition: p }), () => orderCreated("1.25", { partition: p }), () => emailSent({ partition: p })][i % 3];
        log.push(make?.() as RawRecord);
        if (i % 7 === 0 && log.length > 5) log.push(log[log.length - 5] as RawRecord);
        if (i % 31 === 0 && log.length > 40) log.push(log[log.length - 40] as RawRecord);
      }
      return log;
    });
    const live = new Aggregate({ recentEventsLimit: 5, seenPerPartition: window });
    // Live: records interleaved one by one, as they were produced.
    for (let i = 0; i < 300; i += 1) for (const log of partitions) if (log[i] !== undefined) live.apply(event(log[i] as RawRecord));
    // Rebuild: one partition after the other, the last first.
    const rebuilt = new Aggregate({ recentEventsLimit: 5, seenPerPartition: window });
    for (const log of [...partitions].reverse()) for (const r of log) rebuilt.apply(event(r));
    const numbers = (a: Aggregate) => {
      const { recentEvents: _recent, hopLatencyMs: _hops, ...rest } = a.snapshot();
      return rest;
    };
    expect(numbers(rebuilt)).toEqual(numbers(live));
    // 3 topics x 3 partitions.
    expect(live.seenEventIds).toBeLessThanOrEqual(9 * window);
  });

  it("counts a dead-lettered record once per position, remembering one offset per partition", () => {
    const agg = new Aggregate({ recentEventsLimit: 5 });
    for (let offset = 0n; offset < 1_000n; offset += 1n) agg.recordDeadLetter("order-events", 0, offset);
    agg.recordDeadLetter("order-events", 0, 500n);
    expect(agg.snapshot().dlqRecords).toEqual({ "order-events": 1_000 });
  });
});

describe("Positions.handledHere", () => {
  it("tells records this process handled from records only committed before it started", () => {
    const p = new Positions();
    p.committed([["user-events", 0, 10n]]);
    expect(p.handledHere("user-events", 0, 3n)).toBe(false);
    expect(p.seen("user-events", 0, 3n)).toBe(true);
    p.handled("user-events", 0, 3n);
    expect(p.handledHere("user-events", 0, 3n)).toBe(true);
    expect(p.handledHere("user-events", 0, 4n)).toBe(false);
  });
});

describe("ChainIndex retention", () => {
  const ev = (correlationId: string, causationId = ""): RecentEvent => ({
    eventId: randomUUID(),
    type: "E",
    ceType: "polyglot.events.v1.E",
    service: "svc",
    language: "go",
    topic: "t",
    correlationId,
    causationId,
    time: new Date().toISOString(),
    userId: "u",
    summary: "",
    traceId: "",
  });

  it("keeps at most the chain limit, each with at most its event limit", () => {
    const chains = new ChainIndex(50, 4);
    for (let i = 0; i < 1_000; i += 1) chains.add(ev(`c-${i}`));
    expect(chains.latest(1_000)).toHaveLength(50);
    for (let i = 0; i < 10; i += 1) chains.add(ev("busy", "x"));
    const busy = chains.get("busy");
    expect(busy?.events).toHaveLength(4);
    expect(busy?.eventsDropped).toBe(6);
  });
});
