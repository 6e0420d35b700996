// The pipeline's own signal that it has finished what it was given: every service group has
// committed its input topics to their end, nothing was appended to them since the previous look,
// and a reader (EventLog) has read up to that end. A check that counts "exactly N" waits for this
// after its count reached N, so a late duplicate is read before the equality is judged rather
// than after the test has passed.
import { ListOffsetTimestamps } from "@platformatic/kafka";
import { createAdmin, topicPartitions } from "../stack/kafka/topics.js";
import { waitUntil } from "../wait.js";

/** A record's place on its topic: all a drain wait needs of what a reader has read. */
export interface Positioned {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
}

/** Something that reads topics into `records` as it goes (an EventLog, or a test's own reader). */
export interface TopicReader {
  readonly records: readonly Positioned[];
  readonly topics: readonly string[];
  readonly bootstrapServers?: readonly string[];
}

/** The services' consumer groups and the topics each consumes (user-service consumes nothing). */
export const serviceInputs: Readonly<Record<string, readonly string[]>> = {
  "order-service": ["user-events", "order-events"],
  "notification-service": ["user-events", "order-events"],
  "analytics-service": ["user-events", "order-events", "notification-events"],
};

/** The topics the services consume: where a drained pipeline has nothing left to do. */
export const consumedTopics: readonly string[] = [...new Set(Object.values(serviceInputs).flat())];

/** `topic/partition` -> the offset the next record will get. */
export type EndOffsets = ReadonlyMap<string, bigint>;

/** True when `records` hold the last record before each end offset of their topics (a reader caught up). */
export function caughtUp(records: readonly Positioned[], ends: EndOffsets, topics?: readonly string[]): boolean {
  const last = new Map<string, bigint>();
  for (const r of records) {
    const key = `${r.topic}/${r.partition}`;
    if ((last.get(key) ?? -1n) < r.offset) last.set(key, r.offset);
  }
  return [...ends].every(([key, end]) => end === 0n || (topics !== undefined && !topics.includes(key.split("/")[0] ?? "")) || (last.get(key) ?? -1n) >= end - 1n);
}

/** The partitions of `group`'s topics not committed to their end, as `group topic/p committed/end`. */
export function behind(group: string, topics: readonly string[], committed: ReadonlyMap<string, bigint>, ends: EndOffsets): string[] {
  const out: string[] = [];
  for (const topic of topics) {
    for (let p = 0; p < topicPartitions; p++) {
      const key = `${topic}/${p}`;
      const end = ends.get(key) ?? 0n;
      const at = committed.get(key) ?? -1n;
      if (end > 0n && at < end) out.push(`${group} ${key} ${at < 0n ? "none" : at}/${end}`);
    }
  }
  return out;
}

/** Same offsets for the same partitions. */
export function sameEnds(a: EndOffsets | undefined, b: EndOffsets): boolean {
  return a !== undefined && a.size === b.size && [...b].every(([key, end]) => a.get(key) === end);
}

export interface QuietOptions {
  /** Reads through these brokers; the reader's own when it is given. */
  readonly bootstrap?: string;
  /** Must have read every record up to the end offsets of the topics it reads. */
  readonly reader?: TopicReader;
  /** The groups that must have drained (default: every service's). */
  readonly groups?: Readonly<Record<string, readonly string[]>>;
  readonly timeoutMs: number;
  /**
   * How long the end offsets must stay unchanged while every group is drained. notification-service
   * commits a record it parked (its user not known yet) and offers it again every 2 s
   * (PARKED_RETRY_INTERVAL_SECONDS): a window longer than that sees such late work start.
   */
  readonly quietForMs?: number;
}

/** The default quiet window: notification-service's parked-record retry interval, and a margin. */
export const defaultQuietForMs = 2_500;

/**
 * Waits until the pipeline is quiet: each group committed its inputs to their end, the end
 * offsets did not move for `quietForMs`, and the reader (if any) has read to them. Throws
 * naming what was still behind when `timeoutMs` runs out. A group commits only after its
 * effects (records, dead letters) were acknowledged, so a drained group has written all of them.
 */
export async function waitForQuiet(options: QuietOptions): Promise<void> {
  const bootstrap = options.bootstrap ?? options.reader?.bootstrapServers?.join(",");
  if (bootstrap === undefined) throw new Error("waitForQuiet needs a bootstrap address or a reader");
  const groups = options.groups ?? serviceInputs;
  const topics = [...new Set([...Object.values(groups).flat(), ...(options.reader?.topics ?? [])])];
  const admin = createAdmin(bootstrap, "polyglot-settle");
  const quietForMs = options.quietForMs ?? defaultQuietForMs;
  let previous: EndOffsets | undefined;
  let quietSince: number | undefined;
  let waiting: string[] = [];
  try {
    await waitUntil(
      "the pipeline to drain (every service group committed to the end of its topics, nothing new appended)",
      async () => {
        let ends: EndOffsets;
        try {
          const listed = await admin.listOffsets({
            topics: topics.map((name) => ({ name, partitions: Array.from({ length: topicPartitions }, (_, i) => ({ partitionIndex: i, timestamp: ListOffsetTimestamps.LATEST })) })),
          });
          ends = new Map(listed.flatMap((t) => t.partitions.map((p) => [`${t.name}/${p.partitionIndex}`, p.offset] as const)));
          const offsets = await admin.listConsumerGroupOffsets({ groups: Object.keys(groups) });
          waiting = Object.entries(groups).flatMap(([group, inputs]) => {
            const committed = new Map((offsets.find((o) => o.groupId === group)?.topics ?? []).flatMap((t) => t.partitions.map((p) => [`${t.name}/${p.partitionIndex}`, p.committedOffset] as const)));
            return behind(group, inputs, committed, ends);
          });
        } catch (error: unknown) {
          // A broker that was just killed or restarted: not quiet yet, asked again on the next look.
          waiting = [`the broker did not answer: ${error instanceof Error ? error.message : String(error)}`];
          quietSince = undefined;
          previous = undefined;
          return false;
        }
        if (options.reader !== undefined && !caughtUp(options.reader.records, ends, options.reader.topics)) waiting.push("the reader of the topics");
        if (!sameEnds(previous, ends)) waiting.push("records still being appended");
        previous = ends;
        if (waiting.length > 0) {
          quietSince = undefined;
          return false;
        }
        quietSince ??= Date.now();
        if (Date.now() - quietSince < quietForMs) {
          waiting.push(`quiet for ${Date.now() - quietSince} of ${quietForMs} ms`);
          return false;
        }
        return true;
      },
      options.timeoutMs,
      500,
    );
  } catch (error: unknown) {
    throw new Error(`${error instanceof Error ? error.message : String(error)}; still behind: ${waiting.slice(0, 8).join(", ")}`);
  } finally {
    await admin.close();
  }
}
