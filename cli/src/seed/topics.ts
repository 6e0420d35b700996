// Writes the history's records to the event topics (batched, acks=all, idempotent, so no record
// is lost or doubled), and moves the consumer groups of order-service and notification-service
// past them: their stores already hold what these records caused, as after a real run. The
// group of analytics-service is left where it was, so that it reads the history as new on its
// next start and publishes its own AnalyticsUpdates for it.
import { Producer, ProduceAcks, stringSerializer } from "@platformatic/kafka";
import { createAdmin, eventTopics, topicPartitions } from "../stack/kafka/topics.js";
import type { SeedRecord } from "./records.js";

/** The consumer groups whose stores the seed writes itself, and the topics each consumes. */
export const seededGroups: Readonly<Record<string, readonly string[]>> = {
  "order-service": ["user-events", "order-events"],
  "notification-service": ["user-events", "order-events"],
};

/** What analytics-service consumes (services/analytics-service/src/config.ts). */
export const analyticsTopics = ["user-events", "order-events", "notification-events"] as const;

/** Records per produce call. */
const sliceSize = 2_000;

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
      // In slices: one send becomes one record batch per partition, and a batch must stay under
      // the topics' max.message.bytes (2 MiB); 2,000 records of about 400 bytes are well under it.
      for (let i = 0; i < records.length; i += sliceSize) {
        await producer.send({
          messages: records.slice(i, i + sliceSize).map((r) => ({ topic: r.topic, key: r.key, value: r.value, headers: r.headers, timestamp: r.timestamp, ...(r.partition === undefined ? {} : { partition: r.partition }) })),
        });
      }
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

/**
 * Commits, for each seeded group, the end of every topic it consumes: also on a stack that has
 * not committed anything yet, where the group would otherwise start from the first offset and
 * handle the seeded records again.
 */
export async function skipSeededRecords(bootstrap: string): Promise<void> {
  const ends = await endOffsets(bootstrap, eventTopics);
  const admin = createAdmin(bootstrap, "polyglot-seed");
  try {
    for (const [groupId, topics] of Object.entries(seededGroups)) {
      await admin.alterConsumerGroupOffsets({
        groupId,
        topics: topics.map((name) => ({ name, partitionOffsets: (ends.get(name) ?? []).map((offset, partition) => ({ partition, offset })) })),
      });
    }
  } finally {
    await admin.close();
  }
}

/** How many records of `topics` the group `groupId` has not committed yet (all of a partition it never committed on). */
export async function groupLag(bootstrap: string, groupId: string, topics: readonly string[]): Promise<bigint> {
  const ends = await endOffsets(bootstrap, topics);
  const admin = createAdmin(bootstrap, "polyglot-seed");
  try {
    const partitionIndexes = Array.from({ length: topicPartitions }, (_, i) => i);
    const [group] = await admin.listConsumerGroupOffsets({ groups: [{ groupId, topics: topics.map((name) => ({ name, partitionIndexes })) }] });
    let lag = 0n;
    for (const [topic, offsets] of ends) {
      const committed = group?.topics.find((t) => t.name === topic)?.partitions ?? [];
      offsets.forEach((end, partition) => {
        const at = committed.find((p) => p.partitionIndex === partition)?.committedOffset ?? -1n;
        lag += end - (at < 0n ? 0n : at);
      });
    }
    return lag;
  } finally {
    await admin.close();
  }
}
