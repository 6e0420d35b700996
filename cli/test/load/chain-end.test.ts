// The completion rule of a load chain over the shared chain definitions and the shared fixture
// of the chaos tests (test/chaos/chain-fixture.ts): not a copy of either.
import { describe, expect, test } from "vitest";
import { analyticsHop, analyticsUpdateType, hopsOf, judgeToAnalytics } from "../../src/events/chain-end.js";
import { signupChain } from "../../src/events/chain-expectations.js";
import type { EventRecord } from "../../src/events/event-log.js";
import { chainRecords } from "../chaos/chain-fixture.js";

/** The chain's records with Kafka timestamps 10 ms apart, in the order the services write them. */
function timed(records: EventRecord[], start = 1_000): EventRecord[] {
  return records.map((r, i) => ({ ...r, timestamp: start + 10 * i }));
}

function update(cause: EventRecord, id: string, timestamp: number): EventRecord {
  return {
    topic: "analytics-events",
    partition: 0,
    offset: 0n,
    key: "emails_sent",
    headers: { ce_id: id, ce_correlationid: cause.headers.ce_correlationid ?? "", ce_causationid: cause.headers.ce_id ?? "", ce_source: "/analytics-service" },
    type: analyticsUpdateType,
    value: {},
    timestamp,
  };
}

const byId = (records: readonly EventRecord[]): Map<string, EventRecord[]> => new Map(records.map((r) => [r.headers.ce_id ?? "", [r]]));
const spec = { label: "sign-up c1", steps: signupChain, correlationId: "c1", key: "user-1" };

describe("a load chain ends with the AnalyticsUpdate of its last e-mail", () => {
  const records = timed(chainRecords(signupChain, "c1", "2026-01-01T00:00:00Z"));
  const emails = records.filter((r) => r.type.endsWith("EmailSentEvent"));
  const last = emails.reduce((a, b) => ((b.timestamp ?? 0) > (a.timestamp ?? 0) ? b : a));

  test("every step there but no AnalyticsUpdate yet: not complete", () => {
    const end = judgeToAnalytics(spec, byId(records));
    expect(end.outcome.missing).toEqual([]);
    expect(end.complete).toBe(false);
  });

  test("an AnalyticsUpdate of an earlier e-mail does not end it", () => {
    const earlier = emails.find((e) => e !== last) as EventRecord;
    expect(judgeToAnalytics(spec, byId([...records, update(earlier, "u0", 5_000)])).complete).toBe(false);
  });

  test("the AnalyticsUpdate of the last e-mail ends it, and is not taken for an unexpected event", () => {
    const end = judgeToAnalytics(spec, byId([...records, update(last, "u1", (last.timestamp ?? 0) + 7), update(last, "u2", (last.timestamp ?? 0) + 9)]));
    expect(end.complete).toBe(true);
    expect(end.end?.headers.ce_id).toBe("u1");
    expect(end.outcome.problems).toEqual([]);
  });

  test("a missing step keeps it open whatever analytics published", () => {
    const withoutShipping = records.filter((r) => !r.headers.ce_id?.endsWith("welcome order shipping e-mail"));
    const end = judgeToAnalytics(spec, byId([...withoutShipping, ...withoutShipping.filter((r) => r.type.endsWith("EmailSentEvent")).map((e, i) => update(e, `u${i}`, 9_000))]));
    expect(end.complete).toBe(false);
    expect(end.outcome.missing).toEqual(["welcome order shipping e-mail"]);
  });

  test("hops are cause -> effect from the record timestamps, the analytics hop last", () => {
    const end = judgeToAnalytics(spec, byId([...records, update(last, "u1", (last.timestamp ?? 0) + 7)]));
    const hops = hopsOf(signupChain, end);
    expect(hops.map((h) => h.name)).toEqual([...signupChain.filter((s) => s.cause !== undefined).map((s) => `${s.cause} → ${s.name}`), analyticsHop]);
    expect(hops.find((h) => h.name === "sign-up → welcome order")?.ms).toBe(10);
    expect(hops.at(-1)?.ms).toBe(7);
  });
});
