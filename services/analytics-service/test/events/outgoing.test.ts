import { fromBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { Aggregate } from "../../src/analytics/aggregate.js";
import { decodeRecord } from "../../src/events/decode.js";
import { analyticsUpdateRecords, childTraceparent, metricsCollectedRecord } from "../../src/events/outgoing.js";
import { AnalyticsUpdateSchema, MetricsCollectedSchema } from "../../src/gen/polyglot/events/v1/analytics_events_pb.js";
import { headerMap, orderCreated, signup } from "../fixtures.js";

const now = Date.parse("2026-11-25T09:30:00.000Z");

describe("AnalyticsUpdate", () => {
  it("has an id derived from its trigger and counter, so a republish after a crash is the same event", () => {
    const trigger = decodeRecord(signup({ id: "signup-1", correlationId: "corr-1" }));
    if (!trigger.ok) throw new Error(trigger.error);
    const changes = [
      { metricName: "user_signups", labels: {}, previousValue: 0, value: 1 },
      { metricName: "signups_by_source", labels: { source: "web" }, previousValue: 0, value: 1 },
      { metricName: "signups_by_source", labels: { source: "mobile" }, previousValue: 0, value: 1 },
    ];
    const ids = (nowMs: number): string[] => analyticsUpdateRecords(changes, trigger.event.envelope, nowMs).map((r) => headerMap(r).get("ce_id") ?? "");
    const first = ids(now);
    expect(ids(now + 60_000)).toEqual(first);
    expect(new Set(first).size).toBe(3);
    for (const id of first) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });


  it("publishes each changed counter in the trigger's chain, with the contract's headers and metadata", () => {
    const agg = new Aggregate({ recentEventsLimit: 10 });
    const decoded = decodeRecord(signup({ id: "signup-1", correlationId: "corr-1" }));
    if (!decoded.ok) throw new Error(decoded.error);
    const result = agg.apply(decoded.event);
    if (result.kind !== "counted") throw new Error("not counted");
    expect(result.changes).toEqual([
      { metricName: "user_signups", labels: {}, previousValue: 0, value: 1 },
      { metricName: "signups_by_source", labels: { source: "web" }, previousValue: 0, value: 1 },
    ]);

    const records = analyticsUpdateRecords(result.changes, decoded.event.envelope, now);
    expect(records.map((r) => [r.topic, r.key.toString()])).toEqual([
      ["analytics-events", "user_signups"],
      ["analytics-events", "signups_by_source"],
    ]);
    const first = records[0]!;
    const headers = headerMap(first);
    expect(Object.fromEntries([...headers].filter(([k]) => k !== "ce_id" && k !== "traceparent"))).toEqual({
      ce_specversion: "1.0",
      ce_source: "/analytics-service",
      ce_type: "polyglot.events.v1.AnalyticsUpdate",
      ce_time: "2026-11-25T09:30:00.000Z",
      "content-type": "application/protobuf",
      ce_correlationid: "corr-1",
      ce_causationid: "signup-1",
    });
    // The trigger's trace goes on, in a span of its own.
    expect(headers.get("traceparent")).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/);
    const update = fromBinary(AnalyticsUpdateSchema, first.value);
    expect(update).toMatchObject({ metricName: "user_signups", value: 1, previousValue: 0, triggerEventId: "signup-1" });
    expect(update.eventMetadata).toMatchObject({
      eventId: headers.get("ce_id"),
      correlationId: "corr-1",
      causationId: "signup-1",
      sourceService: "analytics-service",
    });
  });

  it("reports revenue changes exactly", () => {
    const agg = new Aggregate({ recentEventsLimit: 10 });
    const first = decodeRecord(orderCreated("29.99"));
    const second = decodeRecord(orderCreated("79.98"));
    if (!first.ok || !second.ok) throw new Error("fixture");
    agg.apply(first.event);
    const result = agg.apply(second.event);
    if (result.kind !== "counted") throw new Error("not counted");
    expect(result.changes.find((c) => c.metricName === "total_revenue")).toEqual({
      metricName: "total_revenue",
      labels: { currency: "USD" },
      previousValue: 29.99,
      value: 109.97,
    });
  });
});

describe("MetricsCollected", () => {
  it("is a root event carrying every counter, revenue as exact Money", () => {
    const agg = new Aggregate({ recentEventsLimit: 10 });
    for (const raw of [signup(), orderCreated("109.97")]) {
      const d = decodeRecord(raw);
      if (d.ok) agg.apply(d.event);
    }
    const record = metricsCollectedRecord(agg.snapshot(), agg.revenueNanos("USD"), 60, now);
    expect(record.key.toString()).toBe("metrics_collected");
    const headers = headerMap(record);
    expect(headers.get("ce_causationid")).toBe("");
    expect(headers.get("ce_correlationid")).toBe(headers.get("ce_id"));
    const m = fromBinary(MetricsCollectedSchema, record.value);
    expect(m).toMatchObject({ userSignups: 1n, ordersCreated: 1n, intervalSeconds: 60, signupsBySource: { web: 1n } });
    expect(m.totalRevenue).toMatchObject({ currencyCode: "USD", units: 109n, nanos: 970_000_000 });
  });
});

describe("childTraceparent", () => {
  it("starts a sampled trace when there is none", () => {
    expect(childTraceparent("")).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(childTraceparent("garbage")).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });
});
