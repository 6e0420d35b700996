// The 3-broker mode keeps every acknowledged record when a broker stops: replication factor 3,
// min.insync.replicas 2, producers with acks=all. The stopped broker rejoins the ISR on restart.
import type { Admin } from "@platformatic/kafka";
import { afterAll, describe, expect, test } from "vitest";
import { consume, createAdmin, createProducer, createTopic, type TestProducer } from "../../support/kafka.js";
import { polyglot } from "../../support/polyglot.js";

/** The smallest ISR over the topic's partitions, and whether `node` is in every ISR. */
async function inSync(admin: Admin, topic: string, node: number): Promise<{ minIsr: number; nodeInAll: boolean }> {
  const metadata = await admin.metadata({ topics: [topic], forceUpdate: true });
  const partitions = metadata.topics.get(topic)?.partitions ?? [];
  return {
    minIsr: partitions.length === 0 ? 0 : Math.min(...partitions.map((p) => p.isr.length)),
    nodeInAll: partitions.length > 0 && partitions.every((p) => p.isr.includes(node)),
  };
}

async function produce(producer: TestProducer, topic: string, label: string, count: number, acked: string[]): Promise<void> {
  for (let i = 0; i < count; i++) {
    const value = `${label}-${i}`;
    // acks=all: the promise resolves only when every in-sync replica (at least 2) has the record.
    await producer.send({ messages: [{ topic, key: `key-${i % 7}`, value: Buffer.from(value) }] });
    acked.push(value);
  }
}

describe("3-broker mode (replication factor 3, min ISR 2)", () => {
  const admin = createAdmin();

  afterAll(async () => {
    await admin.close();
  });

  test("broker 2 stops -> producing and consuming go on, no acknowledged record is lost, and it rejoins the ISR", async () => {
    const topic = await createTopic(admin, "failover", 3);
    await expect.poll(() => inSync(admin, topic, 2), { timeout: 30_000, interval: 250 }).toEqual({ minIsr: 3, nodeInAll: true });

    const producer = createProducer();
    const acked: string[] = [];
    try {
      await produce(producer, topic, "before", 50, acked);

      await polyglot("down", "kafka-2");
      await expect.poll(async () => (await admin.metadata({ topics: [], forceUpdate: true })).brokers.has(2), { timeout: 30_000, interval: 250 }).toBe(false);
      await expect.poll(() => inSync(admin, topic, 2), { timeout: 30_000, interval: 250 }).toEqual({ minIsr: 2, nodeInAll: false });

      await produce(producer, topic, "during", 50, acked);
    } finally {
      await producer.close();
    }
    expect(acked).toHaveLength(100);

    const consumed = new Set((await consume(topic, acked.length, 60_000)).map((m) => m.value.toString()));
    expect(acked.filter((v) => !consumed.has(v))).toEqual([]);

    await polyglot("up", "--brokers", "3");
    await expect.poll(() => inSync(admin, topic, 2), { timeout: 60_000, interval: 500 }).toEqual({ minIsr: 3, nodeInAll: true });
  });
});
