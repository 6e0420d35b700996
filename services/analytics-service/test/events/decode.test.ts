import { create, toBinary } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { decodeRecord } from "../../src/events/decode.js";
import { EmailSentEventSchema } from "../../src/gen/polyglot/events/v1/notification_events_pb.js";
import { OrderCreatedEventSchema } from "../../src/gen/polyglot/events/v1/order_events_pb.js";
import { UserSignupEventSchema } from "../../src/gen/polyglot/events/v1/user_events_pb.js";
import { emailSent, orderCreated, record, signup } from "../fixtures.js";

describe("decodeRecord", () => {
  it("decodes each topic's events by their ce_type", () => {
    for (const raw of [signup(), orderCreated("1.00"), emailSent()]) {
      const decoded = decodeRecord(raw);
      expect(decoded.ok).toBe(true);
      if (decoded.ok) expect(decoded.event.message.$typeName).toBe(decoded.event.envelope.type);
    }
  });

  it("picks the parser from ce_type, never by trying: the same bytes become what the header says", () => {
    // These bytes parse as a UserSignupEvent as well as an EmailSentEvent (fields 1 to 3 are strings in both).
    const bytes = Buffer.from(toBinary(UserSignupEventSchema, create(UserSignupEventSchema, { userId: "u1", email: "a@b.c", name: "N" })));
    const asEmail = decodeRecord(
      record(EmailSentEventSchema, {}, "notification-events", { value: bytes, type: EmailSentEventSchema.typeName }),
    );
    expect(asEmail.ok && asEmail.event.message.$typeName).toBe("polyglot.events.v1.EmailSentEvent");
    const asSignup = decodeRecord(record(UserSignupEventSchema, {}, "user-events", { value: bytes }));
    expect(asSignup.ok && asSignup.event.message.$typeName).toBe("polyglot.events.v1.UserSignupEvent");
  });

  it("calls an unknown ce_type unknown-type", () => {
    const decoded = decodeRecord(signup({ type: "polyglot.events.v1.UserDeletedEvent" }));
    expect(decoded).toMatchObject({ ok: false, reason: "unknown-type" });
  });

  it("calls a known type on the wrong topic unknown-type", () => {
    const decoded = decodeRecord(record(OrderCreatedEventSchema, { orderId: "o" }, "user-events"));
    expect(decoded).toMatchObject({ ok: false, reason: "unknown-type" });
    if (!decoded.ok) expect(decoded.error).toContain("not expected on user-events");
  });

  it.each(["ce_id", "ce_type", "ce_source", "ce_time", "ce_correlationid"])("calls a record without %s missing-header", (name) => {
    const decoded = decodeRecord(signup({ omit: [name] }));
    expect(decoded).toMatchObject({ ok: false, reason: "missing-header" });
    if (!decoded.ok) expect(decoded.error).toContain(name);
  });

  it("accepts an empty or absent ce_causationid (a root event)", () => {
    expect(decodeRecord(signup({ causationId: "" })).ok).toBe(true);
    expect(decodeRecord(signup({ omit: ["ce_causationid"] })).ok).toBe(true);
  });

  it("calls a ce_time that is not RFC 3339 missing-header", () => {
    expect(decodeRecord(signup({ time: "yesterday" }))).toMatchObject({ ok: false, reason: "missing-header" });
    expect(decodeRecord(signup({ time: "2026-11-25" }))).toMatchObject({ ok: false, reason: "missing-header" });
  });

  it("calls bytes that are not protobuf decode-error", () => {
    // Field 1 with wire type 7, which does not exist.
    const decoded = decodeRecord(signup({ value: Buffer.from([0x0f, 0x01]) }));
    expect(decoded).toMatchObject({ ok: false, reason: "decode-error" });
    const truncated = decodeRecord(signup({ value: Buffer.from([0x0a, 0x10, 0x61]) }));
    expect(truncated).toMatchObject({ ok: false, reason: "decode-error" });
  });
});
