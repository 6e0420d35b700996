// Consumer lag per group and topic: how many records each service has not handled yet.
import { Admin, ListOffsetTimestamps } from "@platformatic/kafka";

export interface LagRow {
  readonly group: string;
  readonly topic: string;
  /** Records after the group's committed offsets, summed over the topic's partitions. */
  readonly lag: number;
  readonly committed: number;
  readonly end: number;
}

/** topic -> partition -> offset */
export type OffsetsByTopic = ReadonlyMap<string, ReadonlyMap<number, bigint>>;

/**
 * Lag of each group on each topic it committed on; a partition without a commit counts whole
 * (the group has read none of it).
 */
export function computeLag(ends: OffsetsByTopic, commits: ReadonlyMap<string, OffsetsByTopic>): LagRow[] {
  const rows: LagRow[] = [];
  for (const [group, topics] of commits) {
    for (const [topic, committedByPartition] of topics) {
      const endByPartition = ends.get(topic);
      if (endByPartition === undefined) continue;
      let lag = 0n;
      let committed = 0n;
      let end = 0n;
      for (const [partition, endOffset] of endByPartition) {
        const c = committedByPartition.get(partition) ?? -1n;
        const from = c < 0n ? 0n : c;
        lag += endOffset > from ? endOffset - from : 0n;
        committed += from;
        end += endOffset;
      }
      rows.push({ group, topic, lag: Number(lag), committed: Number(committed), end: Number(end) });
    }
  }
  return rows.sort((a, b) => a.group.localeCompare(b.group) || a.topic.localeCompare(b.topic));
}

export interface LagReader {
  read(): Promise<LagRow[]>;
  close(): Promise<void>;
}

export function createLagReader(options: { bootstrap: readonly string[]; groups: readonly string[]; topics: readonly string[]; clientId: string }): LagReader {
  const admin = new Admin({ clientId: options.clientId, bootstrapBrokers: [...options.bootstrap], retries: 1 });
  return {
    async read() {
      const metadata = await admin.metadata({ topics: [...options.topics], forceUpdate: true });
      const request = [...metadata.topics].map(([name, t]) => ({
        name,
        partitions: Array.from({ length: t.partitionsCount }, (_, partitionIndex) => ({ partitionIndex, timestamp: ListOffsetTimestamps.LATEST })),
      }));
      const listed = await admin.listOffsets({ topics: request });
      const ends = new Map(listed.map((t) => [t.name, new Map(t.partitions.map((p) => [p.partitionIndex, p.offset]))]));
      const groups = await admin.listConsumerGroupOffsets({ groups: [...options.groups] });
      const commits = new Map(
        groups.map((g) => [
          g.groupId,
          new Map(
            g.topics
              .filter((t) => options.topics.includes(t.name))
              .map((t) => [t.name, new Map(t.partitions.map((p) => [p.partitionIndex, p.committedOffset]))]),
          ),
        ]),
      );
      return computeLag(ends, commits);
    },
    async close() {
      await admin.close();
    },
  };
}
