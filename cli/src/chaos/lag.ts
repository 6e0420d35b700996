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
    const listed = await admin.listOffsets({
      topics: topics.map((name) => ({ name, partitions: Array.from({ length: topicPartitions }, (_, i) => ({ partitionIndex: i, timestamp: ListOffsetTimestamps.LATEST })) })),
    });
    const ends = new Map(listed.flatMap((t) => t.partitions.map((p) => [`${t.name}/${p.partitionIndex}`, p.offset] as const)));
    const described = await admin.describeGroups({ groups });
    const committed = await admin.listConsumerGroupOffsets({ groups });
    return groups.map((group) => {
      const offsets = committed.find((c) => c.groupId === group)?.topics ?? [];
      let lag = 0n;
      for (const t of offsets) {
        for (const p of t.partitions) {
          const end = ends.get(`${t.name}/${p.partitionIndex}`);
          if (end !== undefined && p.committedOffset >= 0n && end > p.committedOffset) lag += end - p.committedOffset;
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
