// Reads the event topics from their first offset and keeps every record, decoded by `ce_type`,
// so the demo and the end-to-end tests can check what really went over the broker.
import { randomUUID } from "node:crypto";
import { Consumer, MessagesStreamFallbackModes, MessagesStreamModes, type Message } from "@platformatic/kafka";
import type { JsonObject } from "@bufbuild/protobuf";
import pWaitFor, { TimeoutError } from "p-wait-for";
import { decodeEvent, eventSchema } from "./registry.js";

export const eventTopics = ["user-events", "order-events", "notification-events", "analytics-events"] as const;

/** One record as read back from a topic. */
export interface EventRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly key: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The `ce_type` header. */
  readonly type: string;
  /** The decoded value in protobuf JSON; undefined when the type is unknown or the bytes did not decode. */
  readonly value: JsonObject | undefined;
  readonly decodeError?: string | undefined;
  /** The record's Kafka timestamp (CreateTime: when its producer wrote it), in ms since the epoch; what hop latencies are measured with. */
  readonly timestamp?: number;
}

function headerMap(headers: Map<Buffer, Buffer>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of headers) out[k.toString("utf8")] = v.toString("utf8");
  return out;
}

function toRecord(message: Message<Buffer, Buffer, Buffer, Buffer>): EventRecord {
  const headers = headerMap(message.headers);
  const type = headers.ce_type ?? "";
  // Decoded on first read: a load run reads tens of thousands of records and looks into the
  // values of few (the AnalyticsUpdates that end its chains are judged by their headers).
  let decoded: { readonly value: JsonObject | undefined; readonly decodeError?: string } | undefined;
  const decode = (): NonNullable<typeof decoded> => {
    if (decoded !== undefined) return decoded;
    const schema = eventSchema(type);
    if (schema === undefined) return (decoded = { value: undefined, decodeError: `unknown ce_type '${type}'` });
    try {
      return (decoded = { value: decodeEvent(schema, message.value ?? Buffer.alloc(0)) });
    } catch (error: unknown) {
      return (decoded = { value: undefined, decodeError: error instanceof Error ? error.message : String(error) });
    }
  };
  return {
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
    key: message.key?.toString("utf8") ?? "",
    headers,
    type,
    timestamp: Number(message.timestamp),
    get value() {
      return decode().value;
    },
    get decodeError() {
      return decode().decodeError;
    },
  };
}

/**
 * Orders two RFC 3339 UTC times to the nanosecond. The services write 3, 6 or 9 fractional
 * digits, so neither string order ("…48.1Z" after "…48.15Z") nor Date.parse (milliseconds) will do.
 */
export function compareTimes(a: string, b: string): number {
  const key = (t: string): string => {
    const match = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(t);
    return match ? `${match[1]}.${(match[2] ?? "").padEnd(9, "0")}` : t;
  };
  const ka = key(a);
  const kb = key(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/**
 * A live, growing copy of the topics. It joins a throwaway consumer group that starts at the
 * earliest offset and commits nothing, so it never disturbs the services' groups.
 */
export class EventLog {
  readonly records: EventRecord[] = [];
  private readonly consumer: Consumer<Buffer, Buffer, Buffer, Buffer>;
  private streamClosed: Promise<void> | undefined;
  private streamError: Error | undefined;

  private constructor(
    /** Where it reads from, and which topics: what a drain wait (settle.ts) compares it with. */
    readonly bootstrapServers: readonly string[],
    readonly topics: readonly string[],
  ) {
    this.consumer = new Consumer({
      groupId: `polyglot-reader-${randomUUID()}`,
      clientId: "polyglot-cli-reader",
      bootstrapBrokers: [...bootstrapServers],
      maxWaitTime: 200,
    });
  }

  /**
   * A reader that only follows what it causes (`./polyglot load`) need not pay for the topics'
   * whole history: `startAt` starts each listed partition at that offset (the others at their
   * end), and records written before `skipBefore` (ms since the epoch) are read past without
   * being decoded or kept.
   */
  static async open(bootstrapServers: readonly string[], topics: readonly string[] = eventTopics, options: { skipBefore?: number; startAt?: readonly { topic: string; partition: number; offset: bigint }[] } = {}): Promise<EventLog> {
    const log = new EventLog(bootstrapServers, topics);
    const stream = await log.consumer.consume(
      options.startAt === undefined
        ? { topics: [...topics], mode: MessagesStreamModes.EARLIEST, autocommit: false }
        : { topics: [...topics], mode: MessagesStreamModes.MANUAL, offsets: [...options.startAt], fallbackMode: MessagesStreamFallbackModes.LATEST, autocommit: false },
    );
    const skipBefore = BigInt(options.skipBefore ?? 0);
    // Kept, not thrown: a stream that fails (the broker stopped for good) must not become an
    // unhandled rejection that ends the process; waitFor reports it instead.
    log.streamClosed = (async () => {
      for await (const message of stream) if (message.timestamp >= skipBefore) log.records.push(toRecord(message));
    })().catch((error: unknown) => {
      log.streamError = error instanceof Error ? error : new Error(String(error));
    });
    return log;
  }

  /** Records of one chain, in the order of their `ce_time`. */
  chain(correlationId: string): EventRecord[] {
    return this.records
      .filter((r) => r.headers.ce_correlationid === correlationId)
      .sort((a, b) => compareTimes(a.headers.ce_time ?? "", b.headers.ce_time ?? ""));
  }

  /** Waits until `predicate` holds for the records read so far; throws naming `what` after `timeoutMs`. */
  async waitFor(what: string, predicate: (records: readonly EventRecord[]) => boolean, timeoutMs = 30_000): Promise<void> {
    try {
      await pWaitFor(
        () => {
          if (this.streamError !== undefined) throw new Error(`reading the topics failed: ${this.streamError.message}`);
          return predicate(this.records);
        },
        { interval: 100, timeout: timeoutMs },
      );
    } catch (error: unknown) {
      if (error instanceof TimeoutError) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.consumer.close(true);
    await this.streamClosed;
  }
}
