// The benchmark cases: each message of bench/serialization/messages.json with its test
// vector, decoded by analytics-service's generated code, and its Avro schema.
import { readFileSync } from "node:fs";
import path from "node:path";
import { createRegistry, fromBinary, type DescMessage, type Message } from "@bufbuild/protobuf";
import avro from "avsc";
import { file_polyglot_events_v1_analytics_events } from "./gen/polyglot/events/v1/analytics_events_pb.js";
import { file_polyglot_events_v1_notification_events } from "./gen/polyglot/events/v1/notification_events_pb.js";
import { file_polyglot_events_v1_order_events } from "./gen/polyglot/events/v1/order_events_pb.js";
import { file_polyglot_events_v1_user_events } from "./gen/polyglot/events/v1/user_events_pb.js";
import { toAvroRecord } from "./avro-record.js";

export interface Case {
  readonly name: string;
  readonly desc: DescMessage;
  readonly proto: Message;
  /** The vector's .json twin as JSON.parse gives it. */
  readonly json: unknown;
  readonly avroType: avro.Type;
  readonly avroRecord: Record<string, unknown>;
}

interface MessageList {
  readonly case: string;
  readonly named_types: readonly string[];
  readonly messages: readonly string[];
}

const registry = createRegistry(
  file_polyglot_events_v1_user_events,
  file_polyglot_events_v1_order_events,
  file_polyglot_events_v1_notification_events,
  file_polyglot_events_v1_analytics_events,
);

/** avsc's long is a JS number and refuses values above 2^53; protobuf-es gives int64 as bigint, so the long type is bigint too (avsc's documented custom long). */
const bigintLong = avro.types.LongType.__with({
  fromBuffer: (buf: Buffer) => buf.readBigInt64LE(),
  toBuffer: (n: bigint) => {
    const buf = Buffer.alloc(8);
    buf.writeBigInt64LE(n);
    return buf;
  },
  fromJSON: (n: number | string) => BigInt(n),
  toJSON: (n: bigint) => Number(n),
  isValid: (n: unknown) => typeof n === "bigint",
  compare: (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1),
});

export function loadCases(root: string): Case[] {
  const benchDir = path.join(root, "bench", "serialization");
  const list = JSON.parse(readFileSync(path.join(benchDir, "messages.json"), "utf8")) as MessageList;
  const avroRegistry: Record<string, avro.Type> = { long: bigintLong };
  const avroType = (name: string): avro.Type =>
    avro.Type.forSchema(JSON.parse(readFileSync(path.join(benchDir, "avro", `${name}.avsc`), "utf8")) as avro.Schema, { registry: avroRegistry });
  for (const name of list.named_types) avroType(name);
  return list.messages.map((name) => {
    const desc = registry.getMessage(name);
    if (desc === undefined) throw new Error(`${name}: not in analytics-service's generated code`);
    const dot = name.lastIndexOf(".");
    const vector = path.join(root, "schemas", "testdata", name.slice(0, dot), name.slice(dot + 1), list.case);
    const proto = fromBinary(desc, readFileSync(`${vector}.binpb`));
    return {
      name,
      desc,
      proto,
      json: JSON.parse(readFileSync(`${vector}.json`, "utf8")),
      avroType: avroType(name),
      avroRecord: toAvroRecord(desc, proto as unknown as Record<string, unknown>),
    };
  });
}
