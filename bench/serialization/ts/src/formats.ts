// One encoder/decoder pair per format, each the usual call of its library. Every encoder
// gives bytes and every decoder reads bytes, as a Kafka record's value needs.
import { equals, toBinary, fromBinary, type Message } from "@bufbuild/protobuf";
import { isDeepStrictEqual } from "node:util";
import type { Case } from "./cases.js";

export interface Format {
  readonly format: "protobuf" | "json" | "avro";
  readonly library: string;
  value(c: Case): unknown;
  encode(c: Case, value: unknown): Uint8Array;
  decode(c: Case, bytes: Uint8Array): unknown;
  /** Whether decoding gave the value back (checked once before measuring). */
  same(c: Case, decoded: unknown, value: unknown): boolean;
}

export function formats(versions: { protobuf: string; avsc: string }): Format[] {
  return [
    {
      format: "protobuf",
      library: `@bufbuild/protobuf ${versions.protobuf}`,
      value: (c) => c.proto,
      encode: (c, value) => toBinary(c.desc, value as Message),
      decode: (c, bytes) => fromBinary(c.desc, bytes),
      same: (c, a, b) => equals(c.desc, a as Message, b as Message),
    },
    {
      format: "json",
      library: "JSON.stringify/parse + Buffer (UTF-8)",
      value: (c) => c.json,
      encode: (_c, value) => Buffer.from(JSON.stringify(value)),
      decode: (_c, bytes) => JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8")) as unknown,
      same: (_c, a, b) => isDeepStrictEqual(a, b),
    },
    {
      format: "avro",
      library: `avsc ${versions.avsc} (bigint long)`,
      value: (c) => c.avroRecord,
      encode: (c, value) => c.avroType.toBuffer(value),
      decode: (c, bytes) => c.avroType.fromBuffer(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) as unknown,
      // avsc decodes into its own record classes; the same bytes again means the same value.
      same: (c, a, b) => Buffer.compare(c.avroType.toBuffer(a), c.avroType.toBuffer(b)) === 0,
    },
  ];
}
