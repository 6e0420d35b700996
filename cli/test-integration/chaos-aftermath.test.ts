// The aftermath `chaos` reports, against the real broker that `./polyglot test` provides: chains
// read back from topics and judged, and a consumer group's lag as the broker reports it. The test
// writes to topics and a group of its own (the broker may be the user's running stack), so the
// services see none of it.
import { randomUUID } from "node:crypto";
import { fromJson, toBinary } from "@bufbuild/protobuf";
import { Admin, ListOffsetTimestamps, ProduceAcks, Producer, stringSerializer } from "@platformatic/kafka";
import { afterAll, describe, expect, test } from "vitest";
import { ChainReader, type ChainTopicNames } from "../src/chaos/aftermath.js";
import { groupLags } from "../src/chaos/lag.js";
import { drainState, verdict } from "../src/chaos/recovery.js";
import { signupChain } from "../src/events/chain-expectations.js";
import type { EventRecord } from "../src/events/event-log.js";
import { eventSchema } from "../src/events/registry.js";
import { chainRecords } from "../test/chaos/chain-fixture.js";

function bootstrap(): string {
  const servers = process.env.KAFKA_BOOTSTRAP_SERVERS;
  if (servers === undefined || servers === "") throw new Error("KAFKA_BOOTSTRAP_SERVERS is not set: run with ./polyglot test --suite cli-integration");
  return servers;
}

const admin = new Admin({ clientId: "it-chaos-admin", bootstrapBrokers: bootstrap().split(",") });
const producer = new Producer({
  clientId: "it-chaos",
  bootstrapBrokers: bootstrap().split(","),
  acks: ProduceAcks.ALL,
  serializers: { key: stringSerializer, headerKey: stringSerializer, headerValue: stringSerializer },
});
const created: string[] = [];
afterAll(async () => {
  // The broker may be the user's stack: leave no topic behind.
  if (created.length > 0) await admin.deleteTopics({ topics: created });
  await producer.close();
  await admin.close();
});

/** The three chain topics under names of this test only. */
async function createChainTopics(): Promise<ChainTopicNames> {
  const prefix = `it-chaos-${randomUUID()}`;
  const names = { "user-events": `${prefix}-user-events`, "order-events": `${prefix}-order-events`, "notification-events": `${prefix}-notification-events` };
  await admin.createTopics({ topics: Object.values(names), partitions: 3, replicas: 1 });
  created.push(...Object.values(names));
  return names;
}

/** Writes the records as the services would: protobuf values, CloudEvents headers, keyed by user. */
async function produce(names: ChainTopicNames, records: readonly EventRecord[]): Promise<void> {
  await producer.send({
    messages: records.map((r) => {
      const schema = eventSchema(r.type);
      if (schema === undefined) throw new Error(`no schema for ${r.type}`);
      return {
        topic: names[r.topic as keyof ChainTopicNames],
        key: r.key,
        value: Buffer.from(toBinary(schema, fromJson(schema, r.value ?? {}))),
        headers: new Map(Object.entries({ ...r.headers, ce_type: r.type, ce_specversion: "1.0", "content-type": "application/protobuf" })),
      };
    }),
  });
}

describe("chaos aftermath on a real broker", () => {
  test("the chains read back from the topics are judged: the old one left out, the complete one counted, the broken one waits for its writer", async () => {
    const names = await createChainTopics();
    const since = new Date();
    const old = new Date(since.getTime() - 60_000).toISOString();
    const now = new Date(since.getTime() + 1_000).toISOString();
    const id = (name: string): string => `${name}-${randomUUID()}`;
    const [oldOne, whole, broken] = [id("old"), id("whole"), id("broken")];
    await produce(names, [
      ...chainRecords(signupChain, oldOne, old, ["welcome e-mail"]),
      ...chainRecords(signupChain, whole, now),
      ...chainRecords(signupChain, broken, now, ["welcome e-mail"]),
    ]);
    const reader = await ChainReader.open(bootstrap(), names);
    try {
      expect(await reader.catchUp(Date.now() + 30_000)).toBe(true);
      const chains = reader.judge(since.toISOString());
      expect(chains.map((c) => c.correlationId).sort()).toEqual([broken, whole].sort());
      for (const c of chains) expect(c.outcome.problems, c.correlationId).toEqual([]);
      const v = verdict(chains, new Set(["notification-service"]));
      expect(v.complete).toBe(1);
      expect(v.blocked.map((c) => [c.correlationId, c.outcome.missing, c.waitsFor])).toEqual([[broken, ["welcome e-mail"], ["notification-service"]]]);
    } finally {
      await reader.close();
    }
  });

  test("a group's lag as the broker reports it: a partition never committed counts from the log's start; stranded without members, drained once committed to the end", async () => {
    const topic = (await createChainTopics())["user-events"];
    const group = `it-chaos-group-${randomUUID()}`;
    const onPartition = (partition: number, n: number) => Array.from({ length: n }, (_, i) => ({ topic, partition, key: `k-${i}`, value: Buffer.from(`record ${i}`) }));
    await producer.send({ messages: [...onPartition(0, 2), ...onPartition(1, 3)] });
    // The ends as the broker has them (a send retried after the topic's creation may have written a record twice).
    const listed = await admin.listOffsets({ topics: [{ name: topic, partitions: [0, 1, 2].map((p) => ({ partitionIndex: p, timestamp: ListOffsetTimestamps.LATEST })) }] });
    const end = (p: number): bigint => listed[0]?.partitions.find((x) => x.partitionIndex === p)?.offset ?? 0n;
    expect([end(0) >= 2n, end(1) >= 3n, end(2)]).toEqual([true, true, 0n]);
    const commit = (offsets: [number, bigint][]) =>
      admin.alterConsumerGroupOffsets({ groupId: group, topics: [{ name: topic, partitionOffsets: offsets.map(([partition, offset]) => ({ partition, offset })) }] });
    const lagOf = async () => (await groupLags(bootstrap(), [topic])).find((l) => l.group === group);

    // Committed on partition 0 only: partition 1 is lag from its start as much as partition 0 is.
    await commit([[0, 0n]]);
    const behind = await lagOf();
    expect(behind).toMatchObject({ members: 0, lag: end(0) + end(1) });
    expect(drainState(behind === undefined ? [] : [behind], [group]).stranded.map((l) => l.group)).toEqual([group]);

    await commit([[0, end(0)], [1, end(1)]]);
    const caughtUp = await lagOf();
    expect(caughtUp?.lag).toBe(0n);
    expect(drainState(caughtUp === undefined ? [] : [caughtUp], [group])).toEqual({ drained: true, waiting: [], stranded: [] });
    await admin.deleteGroups({ groups: [group] });
  });
});
