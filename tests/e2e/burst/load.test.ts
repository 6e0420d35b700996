// Many users at once (issue 11): at least 500 sign-ups and 500 orders through the real HTTP
// APIs, concurrently; every chain completes, nothing is duplicated, and the analytics numbers
// (differences from before the burst) equal what was sent, revenue exact.
import { describe, expect, test } from "vitest";
import { burstSize } from "./sizes.js";
import { burstAndVerify, firstOf } from "./verify.js";

describe("many users at once", () => {
  const { users, orders, concurrency } = burstSize("load");

  test(`${users} sign-ups and ${orders} orders, ${concurrency} in flight -> every chain complete, nothing twice, analytics exact`, async () => {
    const v = await burstAndVerify({ label: "load", users, orders, concurrency, completeWithinMs: 300_000 });
    expect(v.users.every((u) => u.userId !== undefined && (u.order === undefined || u.order.orderId !== undefined))).toBe(true);
    expect(firstOf(v.chainProblems), "chains: a step twice, an unexpected event, or one id for two events").toEqual([]);
    expect(firstOf(v.effectProblems), "effects on the whole topics, by user").toEqual([]);
    expect(firstOf(v.sinkProblems), "the SMTP sink against the EmailSentEvents").toEqual([]);
    expect(v.analytics.counters).toEqual(v.expected.counters);
    expect(v.analytics.eventsByType).toEqual(v.expected.eventsByType);
  }, 900_000);
});
