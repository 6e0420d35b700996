// What the consumer groups of the services look like: members and lag on the event topics.
// `chaos kill` and `chaos broker-pause` print it afterwards, to show the system catching up.
import { ListOffsetTimestamps } from "@platformatic/kafka";
import { createAdmin, eventTopics, topicPartitions } from "../stack/kafka/topics.js";

export interface GroupLag {
  readonly group: string;
  readonly state: string;
  readonly members: number;
  /** Records on the event topics not yet committed by the group. */
  readonly lag: bigint;
}

/** Every consumer group but the CLI's own (`polyglot-*`), with its members and lag on `topics`. */
export async function groupLags(bootstrap: string, topics: readonly string[] = eventTopics): Promise<GroupLag[]> {
  const admin = createAdmin(bootstrap, "polyglot-chaos");
  try {
    const groups = [...(await admin.listGroups()).keys()].filter((g) => !g.startsWith("polyglot-")).sort();
    if (groups.length === 0) return [];
    const offsetsAt = async (timestamp: bigint): Promise<Map<string, bigint>> => {
      const listed = await admin.listOffsets({
        topics: topics.map((name) => ({ name, partitions: Array.from({ length: topicPartitions }, (_, i) => ({ partitionIndex: i, timestamp })) })),
      });
      return new Map(listed.flatMap((t) => t.partitions.map((p) => [`${t.name}/${p.partitionIndex}`, p.offset] as const)));
    };
    const ends = await offsetsAt(ListOffsetTimestamps.LATEST);
    const starts = await offsetsAt(ListOffsetTimestamps.EARLIEST);
    const described = await admin.describeGroups({ groups });
    const committed = await admin.listConsumerGroupOffsets({ groups });
    return groups.map((group) => {
      const offsets = committed.find((c) => c.groupId === group)?.topics ?? [];
      let lag = 0n;
      for (const t of offsets) {
        if (!topics.includes(t.name) || !t.partitions.some((p) => p.committedOffset >= 0n)) continue;
        // A group that reads a topic reads all its partitions; one it has committed nothing on yet
        // starts at the log's start (auto.offset.reset=earliest), so all of it is lag.
        for (let i = 0; i < topicPartitions; i++) {
          const key = `${t.name}/${i}`;
          const c = t.partitions.find((p) => p.partitionIndex === i)?.committedOffset ?? -1n;
          const from = c >= 0n ? c : (starts.get(key) ?? 0n);
          const end = ends.get(key) ?? 0n;
          if (end > from) lag += end - from;
        }
      }
      const d = described.get(group);
      return { group, state: String(d?.state ?? "?"), members: d?.members.size ?? 0, lag };
    });
  } finally {
    await admin.close();
  }
}

export function lagLines(lags: readonly GroupLag[]): string[] {
  if (lags.length === 0) return ["no consumer group yet"];
  return lags.map((l) => `${l.group}: ${l.state}, ${l.members} member${l.members === 1 ? "" : "s"}, lag ${l.lag}`);
}
