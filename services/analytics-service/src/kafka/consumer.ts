// The Kafka consumer loop: reads every event topic from its start, hands each record over, commits.
import { setTimeout as delay } from "node:timers/promises";
import { Consumer, type Message, type MessagesStream } from "@platformatic/kafka";
import type { Logger } from "pino";
import { consumedTopics, type Config } from "../config.js";
import type { RawRecord } from "../events/decode.js";
import { errorLine } from "../errors.js";
import { CommitBatcher } from "./commit-batcher.js";
import { Positions } from "./positions.js";
import type { RecordOutcome } from "./record-handler.js";
import { Headers, headerStrings } from "../events/envelope.js";
import { inConsumerSpan } from "../telemetry/tracing.js";

export type ConsumerState = "starting" | "running" | "stopped";

export interface AnalyticsConsumer {
  /** Starts consuming in the background; returns at once. */
  start(): void;
  state(): ConsumerState;
  /** Stops fetching, flushes the pending commit and leaves the group. */
  close(): Promise<void>;
}

export interface ConsumerDeps {
  readonly config: Config;
  readonly logger: Logger;
  readonly handle: (record: RawRecord, replayed: boolean) => Promise<RecordOutcome>;
  /** Called every 5 s with the lag of each assigned partition. */
  readonly onLag?: (topic: string, partition: number, lag: number) => void;
}

/**
 * The aggregate lives in memory, so every start reads the topics from the beginning
 * (mode "earliest") and rebuilds it; the group's commits still record how far analytics got,
 * which keeps consumer lag meaningful and tells a replayed record from a new one.
 */
export function createConsumer({ config, logger, handle, onLag }: ConsumerDeps): AnalyticsConsumer {
  const topics = [...consumedTopics];
  const consumer = new Consumer({
    clientId: config.serviceName,
    groupId: config.groupId,
    bootstrapBrokers: [...config.kafkaBootstrapServers],
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
    // Bounded so a broker that is down shows as an error in the log instead of a silent hang.
    retries: 5,
  });
  let state: ConsumerState = "starting";
  let closing = false;
  let attempt = 0;
  let stream: MessagesStream<Buffer, Buffer, Buffer, Buffer> | undefined;
  let loop: Promise<void> = Promise.resolve();
  let lagTimer: NodeJS.Timeout | undefined;
  // Kept across restarts of the stream, so a record handled but not yet committed stays handled.
  const positions = new Positions();
  const commits = new CommitBatcher(config.commitIntervalMs, (e, where) => {
    if (!closing) logger.warn({ ...where, err: errorLine(e) }, "commit failed");
  });

  async function readCommitted(): Promise<void> {
    const metadata = await consumer.metadata({ topics });
    const assignments = topics.map((topic) => {
      const count = metadata.topics.get(topic)?.partitionsCount ?? 0;
      return { topic, partitions: Array.from({ length: count }, (_, i) => i) };
    });
    const committed = await consumer.listCommittedOffsets({ topics: assignments });
    const entries: Array<[string, number, bigint]> = [];
    for (const [topic, offsets] of committed) offsets.forEach((offset, partition) => entries.push([topic, partition, offset]));
    positions.committed(entries);
  }

  async function consumeOnce(): Promise<void> {
    await readCommitted();
    stream = await consumer.consume({ topics, mode: "earliest", autocommit: false });
    state = "running";
    attempt = 0;
    logger.info({ topics, group: config.groupId }, "consuming");
    for await (const message of stream as AsyncIterable<Message<Buffer, Buffer, Buffer, Buffer>>) {
      const record: RawRecord = {
        topic: message.topic,
        partition: message.partition,
        offset: message.offset,
        key: message.key ?? undefined,
        value: message.value ?? undefined,
        headers: message.headerEntries,
      };
      if (positions.handledHere(record.topic, record.partition, record.offset)) continue;
      const replayed = positions.seen(record.topic, record.partition, record.offset);
      const run = async (): Promise<RecordOutcome> => {
        const outcome = await handle(record, replayed);
        logOutcome(logger, record, outcome, replayed);
        return outcome;
      };
      // A replay only rebuilds memory: a span per replayed record would flood the trace backend.
      let outcome: RecordOutcome;
      if (replayed) outcome = await run();
      else {
        const traceparent = headerStrings(record.headers).get(Headers.traceparent) ?? "";
        outcome = await inConsumerSpan({ ...record, traceparent }, config.groupId, run, (o) => (o.kind === "dead-lettered" ? `${o.reason}: ${o.error}` : undefined));
      }
      positions.handled(record.topic, record.partition, record.offset);
      if (!replayed) commits.handled(message, outcome.kind === "dead-lettered");
    }
  }

  /**
   * Lag is measured from this process's own progress, not from the client's view of the commits:
   * while it rebuilds from the start of the log it commits nothing, yet it is not behind.
   */
  async function measureLag(report: (topic: string, partition: number, lag: number) => void): Promise<void> {
    if (state !== "running") return;
    try {
      const latest = await consumer.listOffsets({ topics });
      for (const { topic, partitions } of consumer.assignments ?? []) {
        for (const partition of partitions) {
          const end = latest.get(topic)?.[partition];
          if (end === undefined) continue;
          const behind = end - positions.next(topic, partition);
          report(topic, partition, Number(behind > 0n ? behind : 0n));
        }
      }
    } catch (e: unknown) {
      logger.debug({ err: errorLine(e) }, "lag not measured");
    }
  }

  async function run(): Promise<void> {
    while (!closing) {
      let failure: string;
      try {
        await consumeOnce();
        failure = "the stream ended";
      } catch (e: unknown) {
        failure = errorLine(e);
      }
      if (closing) break;
      state = "starting";
      attempt += 1;
      const wait = Math.min(10_000, 500 * 2 ** Math.min(attempt, 5));
      logger.error({ err: failure, retryInMs: wait }, "consumer stopped; starting it again");
      await delay(wait);
    }
    state = "stopped";
  }

  return {
    start() {
      loop = run();
      if (onLag !== undefined) {
        lagTimer = setInterval(() => void measureLag(onLag), 5_000);
        lagTimer.unref();
      }
    },
    state: () => state,
    async close() {
      closing = true;
      if (lagTimer !== undefined) clearInterval(lagTimer);
      // What was handled since the last commit is committed before the stream goes.
      await commits.flush();
      await stream?.close().catch(() => undefined);
      await consumer.close(true).catch((e: unknown) => logger.warn({ err: errorLine(e) }, "consumer close failed"));
      await loop;
      state = "stopped";
    },
  };
}

function logOutcome(logger: Logger, record: RawRecord, outcome: RecordOutcome, replayed: boolean): void {
  const where = { topic: record.topic, partition: record.partition, offset: String(record.offset) };
  switch (outcome.kind) {
    case "counted": {
      const fields = { ...where, event_id: outcome.event.eventId, correlation_id: outcome.event.correlationId, type: outcome.event.type };
      // A new event is one line at info (inside its span: with trace_id), so the chain's log
      // merge shows analytics' step; a rebuild's replays stay at debug.
      if (replayed) logger.debug(fields, "event counted");
      else logger.info(fields, "event counted");
      break;
    }
    case "duplicate":
      logger.debug({ ...where, event_id: outcome.eventId }, "duplicate event ignored");
      break;
    case "dead-lettered":
      logger.warn({ ...where, reason: outcome.reason, err: outcome.error }, "record sent to the DLQ");
      break;
    case "poison-replayed":
      logger.debug({ ...where, reason: outcome.reason }, "poison record met again while rebuilding; already in the DLQ");
      break;
  }
}
