// The seeded history must carry the ids the services themselves would have written: the
// welcome order's ids as order-service derives them, records as the contract shapes them.
import { fromBinary } from "@bufbuild/protobuf";
import { describe, expect, test } from "vitest";
import { EmailSentEventSchema } from "../../src/gen/polyglot/events/v1/notification_events_pb.js";
import { OrderCreatedEventSchema } from "../../src/gen/polyglot/events/v1/order_events_pb.js";
import { UserSignupEventSchema } from "../../src/gen/polyglot/events/v1/user_events_pb.js";
import { historyChain, welcomeOrderIds } from "../../src/seed/history.js";
import { mailMessage } from "../../src/seed/mail-sink.js";
import { chainRecords } from "../../src/seed/records.js";

describe("seeded history", () => {
  test("the welcome order's ids are order-service's (a chain the real stack ran)", () => {
    expect(welcomeOrderIds("e85c32ac-853d-4fae-aaaa-88e070882e55")).toEqual({
      orderId: "d805b6f1-aa92-519b-9d61-341e3b0024ce",
      orderEventId: "ab3d8ddf-15d4-5e08-9140-5fac0b3b78f7",
      shippedEventId: "6fe90a23-4217-5285-9a29-1ef33f126712",
      trackingNumber: "PP26472EE1407F",
    });
  });

  test("a chain's six records: keyed by user id, the contract's headers, causes linked, the ids of every store", () => {
    const chain = historyChain("t", 7, new Date("2026-12-03T15:06:06.396Z"));
    const records = chainRecords(chain);
    expect(records.map((r) => [r.topic, r.headers.get("ce_type")])).toEqual([
      ["user-events", "polyglot.events.v1.UserSignupEvent"],
      ["order-events", "polyglot.events.v1.OrderCreatedEvent"],
      ["order-events", "polyglot.events.v1.OrderShippedEvent"],
      ["notification-events", "polyglot.events.v1.EmailSentEvent"],
      ["notification-events", "polyglot.events.v1.EmailSentEvent"],
      ["notification-events", "polyglot.events.v1.EmailSentEvent"],
    ]);
    for (const r of records) {
      expect(r.key).toBe(chain.userId);
      expect(r.headers.get("ce_correlationid")).toBe(chain.correlationId);
      expect(r.headers.get("traceparent")).toMatch(new RegExp(`^00-${chain.traceId}-[0-9a-f]{16}-01$`));
      expect([...r.headers.keys()]).toEqual(["ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time", "content-type", "ce_correlationid", "ce_causationid", "traceparent"]);
    }
    expect(records.map((r) => r.headers.get("ce_causationid"))).toEqual(["", chain.signupEventId, chain.orderEventId, chain.signupEventId, chain.orderEventId, chain.shippedEventId]);
    const signup = fromBinary(UserSignupEventSchema, records[0]?.value ?? Buffer.alloc(0));
    expect(signup.eventMetadata?.eventId).toBe(chain.signupEventId);
    const order = fromBinary(OrderCreatedEventSchema, records[1]?.value ?? Buffer.alloc(0));
    expect(order.orderId).toBe(chain.orderId);
    const mails = records.slice(3).map((r) => fromBinary(EmailSentEventSchema, r.value));
    expect(mails.map((m) => m.eventMetadata?.eventId)).toEqual(chain.mails.map((m) => m.eventId));
    // notification-service's client (librdkafka) picks the partition by CRC32 of the key: all of a user's e-mails on one.
    expect(new Set(records.slice(3).map((r) => r.partition)).size).toBe(1);
  });

  test("a mail carries the headers notification-service sets, in CRLF lines", () => {
    const chain = historyChain("t", 1, new Date());
    const mail = chain.mails[2];
    if (mail === undefined) throw new Error("no shipping mail");
    const message = mailMessage(chain, mail);
    expect(message).toContain(`To: ${chain.name} <${chain.email}>\r\n`);
    expect(message).toContain(`X-Correlation-ID: ${chain.correlationId}\r\n`);
    expect(message).toContain(`X-Trigger-Event-ID: ${chain.shippedEventId}\r\n`);
    expect(message).toContain(`Tracking number: ${chain.trackingNumber}`);
    expect(message.replaceAll("\r\n", "")).not.toContain("\n");
  });
});
