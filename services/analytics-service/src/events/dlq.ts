// The dead-letter copy of a record: its key, value and headers as received, plus the dlq.* headers.
import type { DlqReason, RawRecord } from "./decode.js";

export interface DlqRecord {
  readonly topic: string;
  readonly key: Buffer | undefined;
  readonly value: Buffer | undefined;
  readonly headers: ReadonlyArray<readonly [Buffer, Buffer]>;
}

export function dlqTopic(topic: string): string {
  return `${topic}.dlq`;
}

export function toDlqRecord(
  record: RawRecord,
  failure: { readonly reason: DlqReason; readonly error: string },
  group: string,
  now: Date,
): DlqRecord {
  const added: Array<[string, string]> = [
    ["dlq.reason", failure.reason],
    ["dlq.error", failure.error.replace(/[\r\n]+/g, " ")],
    ["dlq.topic", record.topic],
    ["dlq.partition", String(record.partition)],
    ["dlq.offset", String(record.offset)],
    ["dlq.group", group],
    ["dlq.time", now.toISOString()],
  ];
  return {
    topic: dlqTopic(record.topic),
    key: record.key,
    value: record.value,
    headers: [...record.headers, ...added.map(([k, v]) => [Buffer.from(k), Buffer.from(v)] as const)],
  };
}
