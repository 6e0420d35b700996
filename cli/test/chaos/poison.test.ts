// The poison records' shapes: each is broken in exactly the way its kind says, and in no other.
import { fromBinary } from "@bufbuild/protobuf";
import { describe, expect, test } from "vitest";
import { describeGrowth, missingReasons } from "../../src/chaos/dlq.js";
import { chaosHeaders, largeValueBytes, poisonRecords, undecodable } from "../../src/chaos/poison.js";
import { OrderCreatedEventSchema } from "../../src/gen/polyglot/events/v1/order_events_pb.js";
import { UserSignupEventSchema } from "../../src/gen/polyglot/events/v1/user_events_pb.js";
import { eventTopics } from "../../src/stack/kafka/topics.js";

const contractHeaders = ["ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time", "content-type", "ce_correlationid", "ce_causationid", "traceparent"];

describe("poisonRecords", () => {
  const records = poisonRecords("order-events", "c-1", new Date("2026-11-25T09:00:00Z"));
  const byKind = new Map(records.map((r) => [r.kind, r]));

  test("one record of each kind, each with the reason the consumer must give it", () => {
    expect(records.map((r) => `${r.kind}:${r.expected}`)).toEqual([
      "random-bytes:decode-error",
      "truncated-protobuf:decode-error",
      "wrong-ce-type:unknown-type",
      "missing-headers:missing-header",
      "one-mebibyte:decode-error",
    ]);
    expect(new Set(records.map((r) => r.headers.ce_id).filter(Boolean)).size).toBe(4);
    expect(records.every((r) => r.key === "chaos-c-1" && r.headers.ce_correlationid === "c-1")).toBe(true);
  });

  test("random bytes and the 1 MiB value have the topic's headers and do not decode", () => {
    for (const kind of ["random-bytes", "one-mebibyte"]) {
      const r = byKind.get(kind);
      expect(Object.keys(r?.headers ?? {}).sort()).toEqual([...contractHeaders].sort());
      expect(r?.headers.ce_type).toBe("polyglot.events.v1.OrderCreatedEvent");
      expect(() => fromBinary(OrderCreatedEventSchema, r?.value ?? new Uint8Array())).toThrow();
    }
    expect(byKind.get("one-mebibyte")?.value.length).toBe(largeValueBytes);
    expect(byKind.get("random-bytes")?.headers).toMatchObject({ ce_specversion: "1.0", ce_source: "/polyglot-chaos", ce_causationid: "", ce_time: "2026-11-25T09:00:00.000Z", "content-type": "application/protobuf" });
  });

  test("the truncated protobuf is a valid message one byte short", () => {
    const r = byKind.get("truncated-protobuf");
    expect(() => fromBinary(OrderCreatedEventSchema, r?.value ?? new Uint8Array())).toThrow();
    expect(r?.value.length).toBeGreaterThan(20);
  });

  test("wrong ce_type and missing headers carry a valid message of the topic's type", () => {
    const wrong = byKind.get("wrong-ce-type");
    expect(wrong?.headers.ce_type).toBe("polyglot.events.v1.NoSuchEvent");
    const missing = byKind.get("missing-headers");
    expect(missing?.headers.ce_type).toBeUndefined();
    expect(missing?.headers.ce_id).toBeUndefined();
    for (const r of [wrong, missing]) {
      const event = fromBinary(OrderCreatedEventSchema, r?.value ?? new Uint8Array());
      expect(event.userId).toBe("chaos-c-1");
      expect(event.eventMetadata).toMatchObject({ correlationId: "c-1", causationId: "", sourceService: "polyglot-chaos" });
    }
    expect(fromBinary(OrderCreatedEventSchema, wrong?.value ?? new Uint8Array()).eventMetadata?.eventId).toBe(wrong?.headers.ce_id);
  });

  test("every event topic has its own message type", () => {
    for (const topic of eventTopics) {
      const [first] = poisonRecords(topic, "c");
      expect(first?.headers.ce_type).toMatch(/^polyglot\.events\.v1\.\w+$/);
    }
    const user = poisonRecords("user-events", "c").find((r) => r.kind === "wrong-ce-type");
    expect(fromBinary(UserSignupEventSchema, user?.value ?? new Uint8Array()).email).toBe("chaos-c");
  });

  test("undecodable bytes start with a tag no parser accepts; headers follow the contract", () => {
    expect(undecodable(8)[0]).toBe(0x0f);
    expect(chaosHeaders("t", "e", "c", new Date(0)).traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });
});

describe("DLQ counts", () => {
  const before = new Map([["decode-error", 2]]);
  const after = new Map([["decode-error", 5], ["unknown-type", 1]]);

  test("growth per reason", () => {
    expect(describeGrowth(before, after)).toEqual(["decode-error: 5 (+3)", "unknown-type: 1 (+1)"]);
    expect(describeGrowth(before, before)).toEqual(["decode-error: 2"]);
  });

  test("what is still missing of the expected reasons", () => {
    expect(missingReasons(before, after, ["decode-error", "decode-error", "decode-error", "unknown-type", "missing-header"])).toEqual(new Map([["missing-header", 1]]));
    expect(missingReasons(before, after, ["decode-error", "decode-error", "decode-error", "decode-error"])).toEqual(new Map([["decode-error", 1]]));
    expect(missingReasons(before, after, [])).toEqual(new Map());
  });
});
