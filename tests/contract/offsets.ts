// Where a consumer group and a reader stand against the end of their topics.
import { ListOffsetTimestamps, type Admin } from "@platformatic/kafka";

const partitions = 3;

/** `topic/partition` -> the offset the next record will get. */
export async function endOffsets(admin: Admin, topics: readonly string[]): Promise<Map<string, bigint>> {
  const listed = await admin.listOffsets({
    topics: topics.map((name) => ({
      name,
      partitions: Array.from({ length: partitions }, (_, i) => ({ partitionIndex: i, timestamp: ListOffsetTimestamps.LATEST })),
    })),
  });
  return new Map<string, bigint>(listed.flatMap((t) => t.partitions.map((p) => [`${t.name}/${p.partitionIndex}`, p.offset] as const)));
}

/** The partitions of `topics` that `group` has not committed up to their end, as "topic/p committed/end". */
export async function uncommitted(admin: Admin, group: string, topics: readonly string[]): Promise<string[]> {
  const ends = await endOffsets(admin, topics);
  const [listed] = await admin.listConsumerGroupOffsets({ groups: [group] });
  const committed = new Map<string, bigint>((listed?.topics ?? []).flatMap((t) => t.partitions.map((p) => [`${t.name}/${p.partitionIndex}`, p.committedOffset] as const)));
  return [...ends].filter(([key, end]) => end > 0n && (committed.get(key) ?? -1n) < end).map(([key, end]) => `${key} ${committed.get(key) ?? "none"}/${end}`);
}

export { caughtUp } from "../../cli/src/events/settle.js";
