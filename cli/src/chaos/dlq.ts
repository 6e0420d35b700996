// Producing the poison records and counting what a `.dlq` topic holds, per `dlq.reason` header.
import { randomUUID } from "node:crypto";
import { Consumer, ListOffsetTimestamps, ProduceAcks, Producer, stringDeserializer, stringSerializer } from "@platformatic/kafka";
import { createAdmin } from "../stack/kafka/topics.js";
import type { PoisonRecord } from "./poison.js";

export interface Produced {
  readonly kind: string;
  readonly partition: number;
  readonly offset: bigint;
}

/** Sends the records with acks=all; returns where each landed. */
export async function producePoison(bootstrap: string, topic: string, records: readonly PoisonRecord[]): Promise<Produced[]> {
  const producer = new Producer({
    clientId: "polyglot-chaos",
    bootstrapBrokers: bootstrap.split(","),
    acks: ProduceAcks.ALL,
    retries: 5,
    retryDelay: 250,
    serializers: { key: stringSerializer, headerKey: stringSerializer, headerValue: stringSerializer },
  });
  try {
    const produced: Produced[] = [];
    // One send each, so a refused record (too large) names itself.
    for (const r of records) {
      const result = await producer.send({ messages: [{ topic, key: r.key, value: r.value, headers: new Map(Object.entries(r.headers)) }] });
      const offset = result.offsets?.[0];
      produced.push({ kind: r.kind, partition: offset?.partition ?? -1, offset: offset?.offset ?? -1n });
    }
    return produced;
  } finally {
    await producer.close();
  }
}

/** The end offset of each partition of `topic` (an empty map when it has no record). */
export async function endOffsets(bootstrap: string, topic: string): Promise<Map<number, bigint>> {
  const admin = createAdmin(bootstrap, "polyglot-chaos");
  try {
    const metadata = await admin.metadata({ topics: [topic] });
    const partitions = metadata.topics.get(topic)?.partitions ?? [];
    const listed = await admin.listOffsets({ topics: [{ name: topic, partitions: partitions.map((_, i) => ({ partitionIndex: i, timestamp: ListOffsetTimestamps.LATEST })) }] });
    return new Map((listed[0]?.partitions ?? []).filter((p) => p.offset > 0n).map((p) => [p.partitionIndex, p.offset]));
  } finally {
    await admin.close();
  }
}

/**
 * Reads `topic` from its start to its current end and counts the records per `dlq.reason`
 * header (`(none)` when a record has none). Gives up after `timeoutMs`, with what it counted.
 */
export async function countReasons(bootstrap: string, topic: string, timeoutMs = 15_000): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const ends = await endOffsets(bootstrap, topic);
  if (ends.size === 0) return counts;
  const consumer = new Consumer({
    clientId: "polyglot-chaos",
    // A group of its own that commits nothing: reading must not move any service's position.
    groupId: `polyglot-chaos-${randomUUID()}`,
    bootstrapBrokers: bootstrap.split(","),
    deserializers: { key: stringDeserializer, headerKey: stringDeserializer, headerValue: stringDeserializer },
  });
  try {
    const stream = await consumer.consume({ topics: [topic], mode: "earliest", autocommit: false, maxWaitTime: 500 });
    const timer = setTimeout(() => void stream.close(), timeoutMs);
    try {
      for await (const message of stream) {
        const end = ends.get(message.partition);
        if (end === undefined || message.offset >= end) continue;
        const reason = message.headers.get("dlq.reason") ?? "(none)";
        counts.set(reason, (counts.get(reason) ?? 0) + 1);
        if (message.offset === end - 1n) ends.delete(message.partition);
        if (ends.size === 0) break;
      }
    } finally {
      clearTimeout(timer);
      await stream.close();
    }
  } finally {
    await consumer.close();
  }
  return counts;
}

/** `decode-error 3 (+3), unknown-type 1 (+1)`: each reason's count after, and what it grew by. */
export function describeGrowth(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>): string[] {
  const reasons = [...new Set([...before.keys(), ...after.keys()])].sort();
  return reasons.map((r) => {
    const grew = (after.get(r) ?? 0) - (before.get(r) ?? 0);
    return `${r}: ${after.get(r) ?? 0}${grew === 0 ? "" : ` (${grew > 0 ? "+" : ""}${grew})`}`;
  });
}

/** How many records of each expected reason are still missing from the growth. */
export function missingReasons(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>, expected: readonly string[]): Map<string, number> {
  const wanted = new Map<string, number>();
  for (const r of expected) wanted.set(r, (wanted.get(r) ?? 0) + 1);
  const missing = new Map<string, number>();
  for (const [r, n] of wanted) {
    const short = n - ((after.get(r) ?? 0) - (before.get(r) ?? 0));
    if (short > 0) missing.set(r, short);
  }
  return missing;
}
