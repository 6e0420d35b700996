import { describe, expect, it } from "vitest";
import { Aggregate } from "../../src/analytics/aggregate.js";
import { decodeRecord, type AnalyticsEvent, type RawRecord } from "../../src/events/decode.js";
import {
  OrderCancelledEventSchema,
  OrderShippedEventSchema,
  OrderStatus,
  PaymentProcessedEventSchema,
  PaymentStatus,
} from "../../src/gen/polyglot/events/v1/order_events_pb.js";
import { orderCreated, record, usd } from "../fixtures.js";

function event(raw: RawRecord): AnalyticsEvent {
  const decoded = decodeRecord(raw);
  if (!decoded.ok) throw new Error(`fixture does not decode: ${decoded.error}`);
  return decoded.event;
}

const orderId = (raw: RawRecord): string => (event(raw).message as { orderId: string }).orderId;
const payment = (id: string, status: PaymentStatus) =>
  record(PaymentProcessedEventSchema, { orderId: id, userId: "user-1", status, amount: usd("109.97") }, "order-events", { service: "order-service" });
const shipped = (id: string) => record(OrderShippedEventSchema, { orderId: id, userId: "user-1", carrier: "polyglot-post" }, "order-events", { service: "order-service" });
const cancelled = (id: string) => record(OrderCancelledEventSchema, { orderId: id, userId: "user-1", reason: "declined" }, "order-events", { service: "order-service" });

describe("orders by status", () => {
  it("follows each order through its saga: the demo's two orders end up shipped", () => {
    const agg = new Aggregate({ recentEventsLimit: 50 });
    const welcome = orderCreated("0", { status: OrderStatus.CONFIRMED });
    const posted = orderCreated("109.97");
    for (const raw of [welcome, posted]) agg.apply(event(raw));
    expect(agg.snapshot().ordersByStatus).toEqual({ confirmed: 1, pending: 1 });

    agg.apply(event(shipped(orderId(welcome))));
    agg.apply(event(payment(orderId(posted), PaymentStatus.APPROVED)));
    expect(agg.snapshot().ordersByStatus).toEqual({ confirmed: 1, shipped: 1 });

    agg.apply(event(shipped(orderId(posted))));
    expect(agg.snapshot().ordersByStatus).toEqual({ shipped: 2 });
    expect(agg.snapshot().ordersCreated).toBe(2);
  });

  it("moves a declined order to cancelled, and reports each move as an AnalyticsUpdate change", () => {
    const agg = new Aggregate({ recentEventsLimit: 50 });
    const order = orderCreated("2000.00");
    agg.apply(event(order));
    agg.apply(event(payment(orderId(order), PaymentStatus.DECLINED)));
    const outcome = agg.apply(event(cancelled(orderId(order))));
    expect(agg.snapshot().ordersByStatus).toEqual({ cancelled: 1 });
    expect(outcome.kind === "counted" ? outcome.changes : []).toEqual([
      { metricName: "orders_by_status", labels: { status: "pending" }, previousValue: 1, value: 0 },
      { metricName: "orders_by_status", labels: { status: "cancelled" }, previousValue: 0, value: 1 },
    ]);
  });

  it("does not count a step of an order it never saw created", () => {
    const agg = new Aggregate({ recentEventsLimit: 50 });
    agg.apply(event(shipped("unknown-order")));
    expect(agg.snapshot().ordersByStatus).toEqual({});
  });
});
