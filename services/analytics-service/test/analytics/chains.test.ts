import { describe, expect, it } from "vitest";
import { ChainIndex } from "../../src/analytics/chains.js";
import type { RecentEvent } from "../../src/analytics/snapshot.js";

function ev(id: string, cause: string, time: string, correlationId = "c-1", type = "E"): RecentEvent {
  return {
    eventId: id,
    type,
    ceType: `polyglot.events.v1.${type}`,
    service: "svc",
    language: "go",
    topic: "t",
    correlationId,
    causationId: cause,
    time,
    userId: "u",
    summary: id,
    traceId: "",
  };
}

describe("ChainIndex", () => {
  it("orders a chain causally and gives each hop's latency from its cause", () => {
    const chains = new ChainIndex(10);
    // Arrival order differs from causal order (different topics, different partitions).
    chains.add(ev("mail", "signup", "2026-11-25T09:00:00.400Z"));
    chains.add(ev("order", "signup", "2026-11-25T09:00:00.150Z"));
    chains.add(ev("signup", "", "2026-11-25T09:00:00.000Z", "c-1", "UserSignupEvent"));
    chains.add(ev("order-mail", "order", "2026-11-25T09:00:00.900Z"));
    const chain = chains.get("c-1");
    expect(chain?.events.map((e) => [e.eventId, e.parentId, e.hopLatencyMs])).toEqual([
      ["signup", null, null],
      ["order", "signup", 150],
      ["order-mail", "order", 750],
      ["mail", "signup", 400],
    ]);
    expect(chain).toMatchObject({ startedAt: "2026-11-25T09:00:00.000Z", lastEventAt: "2026-11-25T09:00:00.900Z" });
    expect(chains.latest(5)).toEqual([
      { correlationId: "c-1", startedAt: "2026-11-25T09:00:00.000Z", lastEventAt: "2026-11-25T09:00:00.900Z", eventCount: 4, rootType: "UserSignupEvent" },
    ]);
  });

  it("gives each event's distance from the chain's root, also for events read before the root", () => {
    const chains = new ChainIndex(10);
    expect(chains.add(ev("mail", "signup", "2026-11-25T09:00:00.400Z", "c-1", "EmailSentEvent"))).toEqual([]);
    expect(chains.add(ev("signup", "", "2026-11-25T09:00:00.000Z", "c-1", "UserSignupEvent"))).toEqual([
      { ceType: "polyglot.events.v1.EmailSentEvent", seconds: 0.4 },
    ]);
    expect(chains.add(ev("order", "signup", "2026-11-25T09:00:00.150Z", "c-1", "OrderCreatedEvent"))).toEqual([
      { ceType: "polyglot.events.v1.OrderCreatedEvent", seconds: 0.15 },
    ]);
    expect(chains.rootTimeMs("c-1")).toBe(Date.parse("2026-11-25T09:00:00.000Z"));
  });

  it("shows an event whose cause was never seen as a root", () => {
    const chains = new ChainIndex(10);
    chains.add(ev("b", "missing", "2026-11-25T09:00:01Z"));
    expect(chains.get("c-1")?.events[0]).toMatchObject({ eventId: "b", parentId: null, hopLatencyMs: null });
  });

  it("keeps only the most recently active chains", () => {
    const chains = new ChainIndex(2);
    chains.add(ev("a", "", "2026-11-25T09:00:00Z", "c-a"));
    chains.add(ev("b", "", "2026-11-25T09:00:01Z", "c-b"));
    chains.add(ev("a2", "a", "2026-11-25T09:00:02Z", "c-a"));
    chains.add(ev("c", "", "2026-11-25T09:00:03Z", "c-c"));
    expect(chains.get("c-b")).toBeUndefined();
    expect(chains.latest(10).map((c) => c.correlationId)).toEqual(["c-c", "c-a"]);
  });

  it("lists the chains by the time of their last event, not by arrival", () => {
    const chains = new ChainIndex(10);
    chains.add(ev("late", "", "2026-11-25T10:00:00Z", "c-late"));
    chains.add(ev("early", "", "2026-11-25T09:00:00Z", "c-early"));
    expect(chains.latest(1).map((c) => c.correlationId)).toEqual(["c-late"]);
  });
});
