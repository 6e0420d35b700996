import { describe, expect, it } from "vitest";
import { Aggregate } from "../../src/analytics/aggregate.js";
import { decodeRecord, type AnalyticsEvent, type RawRecord } from "../../src/events/decode.js";
import { OrderStatus } from "../../src/gen/polyglot/events/v1/order_events_pb.js";
import { SignupSource } from "../../src/gen/polyglot/events/v1/user_events_pb.js";
import { emailSent, orderCreated, record, signup } from "../fixtures.js";
import { OrderCreatedEventSchema } from "../../src/gen/polyglot/events/v1/order_events_pb.js";

function event(raw: RawRecord): AnalyticsEvent {
  const decoded = decodeRecord(raw);
  if (!decoded.ok) throw new Error(`fixture does not decode: ${decoded.error}`);
  return decoded.event;
}

const newAggregate = (recentEventsLimit = 50) => new Aggregate({ recentEventsLimit });

describe("Aggregate", () => {
  it("counts the demo flow: 1 signup, 2 orders, 3 e-mails, revenue 109.97", () => {
    const agg = newAggregate();
    for (const raw of [
      signup(),
      orderCreated("0", { status: OrderStatus.CONFIRMED }),
      orderCreated("109.97"),
      emailSent(),
      emailSent(),
      emailSent(),
    ]) {
      expect(agg.apply(event(raw)).kind).toBe("counted");
    }
    const m = agg.snapshot();
    expect(m).toMatchObject({ userSignups: 1, ordersCreated: 2, emailsSent: 3, totalRevenue: 109.97, eventsTotal: 6 });
    expect(m.revenueByCurrency).toEqual({ USD: "109.97" });
    expect(m.ordersByStatus).toEqual({ confirmed: 1, pending: 1 });
    expect(JSON.stringify(m)).toContain('"totalRevenue":109.97,');
  });

  it("counts a redelivered event once", () => {
    const agg = newAggregate();
    const order = orderCreated("29.99");
    expect(agg.apply(event(order)).kind).toBe("counted");
    expect(agg.apply(event(order)).kind).toBe("duplicate");
    // Same id, other bytes (a producer retry that re-encoded): still the same event.
    const id = event(order).envelope.id;
    expect(agg.apply(event(orderCreated("500.00", { id }))).kind).toBe("duplicate");
    const m = agg.snapshot();
    expect(m.ordersCreated).toBe(1);
    expect(m.totalRevenue).toBe(29.99);
    expect(m.recentEvents).toHaveLength(1);
    expect(m.eventsTotal).toBe(1);
  });

  it("sums revenue exactly where doubles would drift", () => {
    const agg = newAggregate();
    for (let i = 0; i < 10; i += 1) agg.apply(event(orderCreated("0.10")));
    agg.apply(event(orderCreated("0.20")));
    expect(agg.snapshot().revenueByCurrency).toEqual({ USD: "1.20" });
    expect(agg.snapshot().totalRevenue).toBe(1.2);
  });

  it("keeps other currencies out of totalRevenue", () => {
    const agg = newAggregate();
    agg.apply(event(orderCreated("10.00")));
    agg.apply(
      event(
        record(
          OrderCreatedEventSchema,
          { orderId: "o-eur", userId: "u", totalMoney: { currencyCode: "EUR", units: 7n, nanos: 500_000_000 } },
          "order-events",
        ),
      ),
    );
    expect(agg.snapshot().totalRevenue).toBe(10);
    expect(agg.snapshot().revenueByCurrency).toEqual({ USD: "10.00", EUR: "7.50" });
  });

  it("rejects an order without total_money whole: nothing counted, id not remembered", () => {
    const agg = newAggregate();
    const bad = event(orderCreated(undefined, { totalAmount: 12.5 }));
    expect(() => agg.apply(bad)).toThrow(/no total_money/);
    expect(agg.snapshot()).toMatchObject({ ordersCreated: 0, eventsTotal: 0, recentEvents: [] });
    expect(agg.has(bad.envelope.id)).toBe(false);
    // A zero order without total_money (the seed's shape of the welcome order) is fine.
    expect(agg.apply(event(orderCreated(undefined, { totalAmount: 0 }))).kind).toBe("counted");
  });

  it("counts sign-ups by source", () => {
    const agg = newAggregate();
    agg.apply(event(signup({ source: SignupSource.WEB })));
    agg.apply(event(signup({ source: SignupSource.WEB })));
    agg.apply(event(signup({ source: SignupSource.MOBILE })));
    agg.apply(event(signup({ source: SignupSource.UNSPECIFIED })));
    expect(agg.snapshot().signupsBySource).toEqual({ web: 2, mobile: 1, unspecified: 1 });
    expect(agg.snapshot().userSignups).toBe(4);
  });

  it("counts orders by the UTC hour of their ce_time, not by when they were read", () => {
    const agg = newAggregate();
    agg.apply(event(orderCreated("1.00", { time: "2026-11-25T09:15:00Z" })));
    agg.apply(event(orderCreated("1.00", { time: "2026-11-25T09:59:59.999Z" })));
    agg.apply(event(orderCreated("1.00", { time: "2026-11-25T12:30:00+02:00" })));
    agg.apply(event(orderCreated("1.00", { time: "2026-11-25T23:00:00Z" })));
    expect(agg.snapshot().ordersByHour).toEqual({ "9": 2, "10": 1, "23": 1 });
  });

  it("keeps the newest events first, bounded, with type, service, correlation id and time", () => {
    const agg = newAggregate(3);
    const s = signup({ correlationId: "corr-1", time: "2026-11-25T09:00:00.000Z" });
    agg.apply(event(s));
    for (let i = 0; i < 3; i += 1) agg.apply(event(emailSent({ correlationId: "corr-1" })));
    const recent = agg.snapshot().recentEvents;
    expect(recent).toHaveLength(3);
    expect(recent.every((e) => e.type === "EmailSentEvent" && e.service === "notification-service")).toBe(true);
    const only = newAggregate();
    only.apply(event(s));
    expect(only.snapshot().recentEvents[0]).toMatchObject({
      type: "UserSignupEvent",
      ceType: "polyglot.events.v1.UserSignupEvent",
      service: "user-service",
      language: "java",
      correlationId: "corr-1",
      causationId: "",
      time: "2026-11-25T09:00:00.000Z",
      userId: "user-1",
    });
  });

  it("orders the recent events by ce_time whatever order they arrive in, keeping the newest", () => {
    const agg = newAggregate(3);
    for (const second of [10, 30, 20, 50, 5, 40]) {
      agg.apply(event(emailSent({ id: `mail-${second}`, time: `2026-11-25T09:00:${String(second).padStart(2, "0")}Z` })));
    }
    expect(agg.snapshot().recentEvents.map((e) => e.eventId)).toEqual(["mail-50", "mail-40", "mail-30"]);
  });

  it("reports hop latencies and events by language", () => {
    const agg = newAggregate();
    agg.apply(event(signup({ id: "s-1", correlationId: "c", time: "2026-11-25T09:00:00.000Z" })));
    agg.apply(event(orderCreated("0", { correlationId: "c", causationId: "s-1", time: "2026-11-25T09:00:00.045Z" })));
    const m = agg.snapshot();
    expect(m.hopLatencyMs).toEqual({ "UserSignupEvent -> OrderCreatedEvent": { count: 1, p50: 45, p95: 45, p99: 45 } });
    expect(m.eventsByLanguage).toEqual({ java: 1, go: 1 });
  });

  it("counts each dead-lettered position once", () => {
    const agg = newAggregate();
    agg.recordDeadLetter("order-events", 1, 5n);
    agg.recordDeadLetter("order-events", 1, 5n);
    agg.recordDeadLetter("order-events", 2, 5n);
    expect(agg.snapshot().dlqRecords).toEqual({ "order-events": 2 });
  });
});
