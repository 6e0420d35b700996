// A record with the contract's headers and a protobuf value goes through the real broker and
// comes back unchanged; `up` created the contract's topics.
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { EventMetadataSchema } from "../../../cli/src/gen/polyglot/common/v1/metadata_pb.js";
import { SignupSource, UserSignupEventSchema } from "../../../cli/src/gen/polyglot/events/v1/user_events_pb.js";
import { cloudEventHeaders, newRootIds } from "../../support/cloud-events.js";
import { consume, createAdmin, createProducer, createTopic } from "../../support/kafka.js";

const contractTopics = ["user-events", "order-events", "notification-events", "analytics-events"].flatMap((t) => [t, `${t}.dlq`]);

describe("the broker started by ./polyglot", () => {
  const admin = createAdmin();
  const topics: string[] = [];

  beforeAll(async () => {
    await admin.metadata({ topics: [] });
  });

  afterAll(async () => {
    if (topics.length > 0) await admin.deleteTopics({ topics });
    await admin.close();
  });

  test("has every contract topic and its .dlq, 3 partitions each", async () => {
    const metadata = await admin.metadata({ topics: contractTopics, forceUpdate: true });
    for (const name of contractTopics) {
      expect(metadata.topics.get(name)?.partitions.length, name).toBe(3);
    }
  });

  test("refuses to auto-create a topic a client names", async () => {
    await expect(admin.metadata({ topics: [`it-not-created-${Date.now()}`], autocreateTopics: true, forceUpdate: true })).rejects.toThrow();
  });

  test("a record with the contract's headers comes back with its key, headers and value unchanged", async () => {
    const topic = await createTopic(admin, "headers", 1);
    topics.push(topic);
    const ids = newRootIds();
    const now = new Date();
    const userId = `user-${ids.eventId}`;
    const event = create(UserSignupEventSchema, {
      userId,
      email: "it@example.com",
      name: "Integration Test",
      signupTimestamp: timestampFromDate(now),
      source: SignupSource.WEB,
      eventMetadata: create(EventMetadataSchema, {
        eventId: ids.eventId,
        correlationId: ids.correlationId,
        causationId: ids.causationId,
        sourceService: "user-service",
        sourceVersion: "test",
        timestamp: timestampFromDate(now),
      }),
    });
    const headers = cloudEventHeaders(ids, UserSignupEventSchema.typeName, "user-service", now);

    const producer = createProducer();
    try {
      const result = await producer.send({ messages: [{ topic, key: userId, value: Buffer.from(toBinary(UserSignupEventSchema, event)), headers }] });
      expect(result.offsets?.[0]?.offset).toBe(0n);
    } finally {
      await producer.close();
    }

    const [record] = await consume(topic, 1, 30_000);
    expect(record).toBeDefined();
    expect(record?.key).toBe(userId);
    expect(Object.fromEntries(record?.headers ?? [])).toEqual(headers);
    expect(record?.headers.get("ce_type")).toBe("polyglot.events.v1.UserSignupEvent");
    const decoded = fromBinary(UserSignupEventSchema, record?.value ?? Buffer.alloc(0));
    expect(decoded.userId).toBe(userId);
    expect(decoded.email).toBe("it@example.com");
    expect(decoded.eventMetadata?.eventId).toBe(ids.eventId);
    expect(decoded.eventMetadata?.correlationId).toBe(record?.headers.get("ce_correlationid"));
  });
});
