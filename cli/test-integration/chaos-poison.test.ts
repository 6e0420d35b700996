// `chaos poison` against the real broker that `./polyglot test` provides: the records arrive
// as built (a 1 MiB value included), and the DLQ counting reads `dlq.reason` per record. No
// service consumes here, so the DLQ records are written by the test in the services' place.
import { randomUUID } from "node:crypto";
import { Admin, ConfigResourceTypes, Consumer, stringDeserializer, type Message } from "@platformatic/kafka";
import { afterAll, describe, expect, test } from "vitest";
import { countReasons, missingReasons, producePoison } from "../src/chaos/dlq.js";
import { poisonRecords } from "../src/chaos/poison.js";
import { contractTopics, ensureTopics, topicMaxMessageBytes } from "../src/stack/kafka/topics.js";

function bootstrap(): string {
  const servers = process.env.KAFKA_BOOTSTRAP_SERVERS;
  if (servers === undefined || servers === "") throw new Error("KAFKA_BOOTSTRAP_SERVERS is not set: run with ./polyglot test --suite cli-integration");
  return servers;
}

const admin = new Admin({ clientId: "it-chaos-admin", bootstrapBrokers: bootstrap().split(",") });
afterAll(() => admin.close());

/** A topic and its `.dlq` of this test only, with the contract topics' size limit. */
async function createTopics(): Promise<string> {
  const topic = `it-chaos-${randomUUID()}`;
  await admin.createTopics({ topics: [topic, `${topic}.dlq`], partitions: 3, replicas: 1, configs: [{ name: "max.message.bytes", value: String(topicMaxMessageBytes) }] });
  return topic;
}

/**
 * Every record on `topic` up to its end offsets of now: all of them, not the first `count`, so a
 * record written twice is seen by the length check rather than cut off by it.
 */
async function readAll(topic: string) {
  const consumer = new Consumer({
    clientId: "it-chaos",
    groupId: `it-chaos-${randomUUID()}`,
    bootstrapBrokers: bootstrap().split(","),
    deserializers: { key: stringDeserializer, headerKey: stringDeserializer, headerValue: stringDeserializer },
  });
  const received: Message<string, Buffer, string, string>[] = [];
  try {
    const ends = (await consumer.listOffsets({ topics: [topic] })).get(topic) ?? [];
    const remaining = new Map(ends.map((end, partition) => [partition, end] as const).filter(([, end]) => end > 0n));
    if (remaining.size === 0) return received;
    const stream = await consumer.consume({ topics: [topic], mode: "earliest", autocommit: false, maxWaitTime: 500 });
    const timer = setTimeout(() => void stream.close(), 30_000);
    try {
      for await (const m of stream) {
        received.push(m);
        if (m.offset + 1n >= (remaining.get(m.partition) ?? 0n)) remaining.delete(m.partition);
        if (remaining.size === 0) break;
      }
    } finally {
      clearTimeout(timer);
      await stream.close();
    }
    if (remaining.size > 0) throw new Error(`${topic} not read to its end within 30 s: partitions ${[...remaining.keys()].join(", ")}`);
  } finally {
    await consumer.close();
  }
  return received;
}

describe("chaos poison on a real broker", () => {
  test("every poison record arrives as built, the 1 MiB value included", async () => {
    const topic = await createTopics();
    const records = poisonRecords("order-events", `it-${randomUUID()}`);
    const produced = await producePoison(bootstrap(), topic, records);
    expect(produced.map((p) => p.kind)).toEqual(records.map((r) => r.kind));
    expect(produced.every((p) => p.partition >= 0 && p.offset >= 0n)).toBe(true);

    const received = await readAll(topic);
    expect(received).toHaveLength(records.length);
    for (const r of records) {
      const m = received.find((x) => Buffer.compare(x.value, r.value) === 0);
      expect(m, r.kind).toBeDefined();
      expect(m?.key).toBe(r.key);
      expect(Object.fromEntries(m?.headers ?? [])).toEqual(r.headers);
    }
    // One user key: all five land on one partition, in the order sent.
    expect(new Set(produced.map((p) => p.partition)).size).toBe(1);
  });

  test("the DLQ is counted per dlq.reason, and what is missing is named", async () => {
    const topic = await createTopics();
    const dlq = `${topic}.dlq`;
    expect(await countReasons(bootstrap(), dlq)).toEqual(new Map());
    const records = poisonRecords("user-events", `it-${randomUUID()}`);
    // What a consumer does: the record as received plus its dlq.* headers.
    const copies = records.slice(0, 4).map((r) => ({ ...r, headers: { ...r.headers, "dlq.reason": r.expected, "dlq.topic": topic, "dlq.error": "test" } }));
    await producePoison(bootstrap(), dlq, [...copies, { ...records[0]!, kind: "no-reason" }]);
    const after = await countReasons(bootstrap(), dlq);
    expect(after).toEqual(new Map([["decode-error", 2], ["unknown-type", 1], ["missing-header", 1], ["(none)", 1]]));
    expect(missingReasons(new Map(), after, records.map((r) => r.expected))).toEqual(new Map([["decode-error", 1]]));
  });

  test("the contract topics take a 1 MiB record: up sets max.message.bytes on each", async () => {
    await ensureTopics({ bootstrap: bootstrap(), replicas: 1, minInsyncReplicas: 1 });
    const described = await admin.describeConfigs({ resources: contractTopics.map((name) => ({ resourceType: ConfigResourceTypes.TOPIC, resourceName: name, configurationKeys: ["max.message.bytes"] })) });
    for (const d of described) expect(d.configs.find((c) => c.name === "max.message.bytes")?.value, d.resourceName).toBe(String(topicMaxMessageBytes));
  });
});
