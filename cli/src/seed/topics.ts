// Writes the history's records to the event topics (batched, acks=all, idempotent, so no record
// is lost or doubled), and moves the consumer groups of order-service and notification-service
// past them: their stores already hold what these records caused, as after a real run. The
// group of analytics-service is left where it was, so that it reads the history as new on its
// next start and publishes its own AnalyticsUpdates for it.
import { Producer, ProduceAcks, stringSerializer } from "@platformatic/kafka";
import { createAdmin, eventTopics, topicPartitions } from "../stack/kafka/topics.js";
import type { SeedRecord } from "./records.js";

/** The consumer groups whose stores the seed writes itself. */
export const seededGroups = ["order-service", "notification-service"] as const;

export interface RecordWriter {
  write(records: readonly SeedRecord[]): Promise<void>;
  close(): Promise<void>;
}

export function recordWriter(bootstrap: string): RecordWriter {
  const producer = new Producer({
    clientId: "polyglot-seed",
    bootstrapBrokers: bootstrap.split(","),
    acks: ProduceAcks.ALL,
    idempotent: true,
    retries: 5,
    retryDelay: 250,
    serializers: { key: stringSerializer, headerKey: stringSerializer, headerValue: stringSerializer },
  });
  return {
    async write(records) {
      await producer.send({ messages: records.map((r) => ({ topic: r.topic, key: r.key, value: r.value, headers: r.headers, timestamp: r.timestamp, ...(r.partition === undefined ? {} : { partition: r.partition }) })) });
    },
    close: () => producer.close(),
  };
}

async function endOffsets(bootstrap: string, topics: readonly string[]): Promise<Map<string, bigint[]>> {
  const admin = createAdmin(bootstrap, "polyglot-seed");
  try {
    const listed = await admin.listOffsets({ topics: topics.map((name) => ({ name, partitions: Array.from({ length: topicPartitions }, (_, partitionIndex) => ({ partitionIndex, timestamp: -1n })) })) });
    return new Map(listed.map((t) => [t.name, t.partitions.sort((a, b) => a.partitionIndex - b.partitionIndex).map((p) => p.offset)]));
  } finally {
    await admin.close();
  }
}

/** Commits, for each seeded group, the end of every event topic it has committed offsets on. */
export async function skipSeededRecords(bootstrap: string): Promise<void> {
  const ends = await endOffsets(bootstrap, eventTopics);
  const admin = createAdmin(bootstrap, "polyglot-seed");
  try {
    const groups = await admin.listConsumerGroupOffsets({ groups: [...seededGroups] });
    for (const group of groups) {
      const topics = group.topics.filter((t) => ends.has(t.name));
      if (topics.length === 0) continue;
      await admin.alterConsumerGroupOffsets({
        groupId: group.groupId,
        topics: topics.map((t) => ({ name: t.name, partitionOffsets: (ends.get(t.name) ?? []).map((offset, partition) => ({ partition, offset })) })),
      });
    }
  } finally {
    await admin.close();
  }
}

/** How many records of the event topics `groupId` consumes (has committed on) it has not committed yet. */
export async function groupLag(bootstrap: string, groupId: string): Promise<bigint> {
  const ends = await endOffsets(bootstrap, eventTopics);
  const admin = createAdmin(bootstrap, "polyglot-seed");
  try {
    const [group] = await admin.listConsumerGroupOffsets({ groups: [groupId] });
    let lag = 0n;
    for (const t of group?.topics ?? []) {
      (ends.get(t.name) ?? []).forEach((end, partition) => {
        const at = t.partitions.find((p) => p.partitionIndex === partition)?.committedOffset ?? -1n;
        lag += end - (at < 0n ? 0n : at);
      });
    }
    return lag;
  } finally {
    await admin.close();
  }
}
