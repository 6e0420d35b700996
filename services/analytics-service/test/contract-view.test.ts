import { describe, expect, it } from "vitest";
import { OrderCreatedEventSchema, OrderStatus } from "../src/gen/polyglot/events/v1/order_events_pb.js";
import { SignupSource, UserSignupEventSchema } from "../src/gen/polyglot/events/v1/user_events_pb.js";
import { SMSSentEventSchema, SMSType, SMSTypeSchema } from "../src/gen/polyglot/events/v1/notification_events_pb.js";
import { enumLabel } from "../src/analytics/describe.js";
import { decodeRecord } from "../src/events/decode.js";
import { eventView, timestampView } from "../src/contract-view.js";
import { record, usd } from "./fixtures.js";

function viewOf(raw: ReturnType<typeof record>) {
  const decoded = decodeRecord(raw);
  if (!decoded.ok) throw new Error(decoded.error);
  return eventView(decoded.event);
}

describe("eventView", () => {
  it("shows every field of a sign-up by its proto name, the enum as analytics' label, the map as an object", () => {
    const line = viewOf(
      record(
        UserSignupEventSchema,
        {
          userId: "u-1",
          email: "zoë@example.com",
          name: "Zoë Ünal",
          source: SignupSource.MOBILE,
          metadata: { user_agent: "probe/1.0" },
          signupTimestamp: { seconds: 1_795_000_000n, nanos: 123_456_789 },
          phoneNumber: "+15551234567",
        },
        "user-events",
        { id: "e-1", correlationId: "c-1", service: "user-service", time: "2026-11-25T09:30:00.123Z", partition: 2 },
      ),
    );
    expect(line).toEqual({
      type: "polyglot.events.v1.UserSignupEvent",
      view: {
        topic: "user-events",
        partition: 2,
        event_id: "e-1",
        source: "user-service",
        time: "2026-11-25T09:30:00.123Z",
        correlation_id: "c-1",
        causation_id: "",
        traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        message: {
          user_id: "u-1",
          email: "zoë@example.com",
          name: "Zoë Ünal",
          signup_timestamp: "2026-11-18T11:06:40.123456789Z",
          source: "mobile",
          metadata: { user_agent: "probe/1.0" },
          event_metadata: null,
          phone_number: "+15551234567",
        },
      },
    });
  });

  it("shows money as exact decimal text with its currency, lists in order, int32 and double as numbers", () => {
    const { view } = viewOf(
      record(
        OrderCreatedEventSchema,
        {
          orderId: "o-1",
          userId: "u-1",
          totalAmount: 109.97,
          currency: "USD",
          status: OrderStatus.PENDING,
          totalMoney: usd("109.97"),
          items: [
            { productId: "p1", quantity: 2, unitPrice: 29.99, unitPriceMoney: usd("29.99") },
            { productId: "p2", quantity: 1, unitPrice: 49.99, unitPriceMoney: usd("49.99") },
          ],
        },
        "order-events",
      ),
    );
    const message = (view as { message: Record<string, unknown> }).message;
    expect(message).toMatchObject({
      total_amount: 109.97,
      status: "pending",
      total_money: { currency_code: "USD", amount: "109.97" },
      created_timestamp: null,
      items: [
        { product_id: "p1", product_name: "", quantity: 2, unit_price: 29.99, unit_price_money: { currency_code: "USD", amount: "29.99" } },
        { product_id: "p2", product_name: "", quantity: 1, unit_price: 49.99, unit_price_money: { currency_code: "USD", amount: "49.99" } },
      ],
    });
  });

  it("names a money amount analytics refuses instead of hiding it", () => {
    const { view } = viewOf(record(OrderCreatedEventSchema, { orderId: "o", totalMoney: { currencyCode: "usd", units: 1n } }, "order-events"));
    expect((view as { message: { total_money: unknown } }).message.total_money).toEqual({
      currency_code: "usd",
      invalid: expect.stringContaining("ISO 4217"),
    });
  });

  it("labels enums without their prefix, also where protobuf-es keeps it (SMSType)", () => {
    const { view } = viewOf(record(SMSSentEventSchema, { smsType: SMSType.SMS_TYPE_ORDER_UPDATE }, "notification-events"));
    expect((view as { message: { sms_type: unknown } }).message.sms_type).toBe("order_update");
    expect(enumLabel(SMSTypeSchema, 0)).toBe("unspecified");
    expect(enumLabel(SMSTypeSchema, 42)).toBe("42");
  });

  it("writes timestamps with nine fraction digits, also at whole seconds", () => {
    expect(timestampView({ seconds: 0n, nanos: 0 })).toBe("1970-01-01T00:00:00.000000000Z");
    expect(timestampView({ seconds: 1_795_000_000n, nanos: 5 })).toBe("2026-11-18T11:06:40.000000005Z");
  });
});
