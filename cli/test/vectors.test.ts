// The shared test vectors (schemas/testdata, rules in its README.md) against protobuf-es and
// the generated code in src/gen: TypeScript must read and write every message exactly as the
// vectors' one encoder (protobuf-go inside buf) does.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  createRegistry,
  equals,
  fromBinary,
  fromJson,
  toBinary,
  toJson,
  type DescEnum,
  type DescMessage,
  type JsonValue,
  type Message,
} from "@bufbuild/protobuf";
import { isReflectMessage, reflect, type ReflectMessage } from "@bufbuild/protobuf/reflect";
import { describe, expect, it } from "vitest";
import { file_polyglot_common_v1_metadata } from "../src/gen/polyglot/common/v1/metadata_pb.js";
import { file_polyglot_common_v1_money } from "../src/gen/polyglot/common/v1/money_pb.js";
import { file_polyglot_events_v1_analytics_events } from "../src/gen/polyglot/events/v1/analytics_events_pb.js";
import { file_polyglot_events_v1_notification_events } from "../src/gen/polyglot/events/v1/notification_events_pb.js";
import { file_polyglot_events_v1_order_events } from "../src/gen/polyglot/events/v1/order_events_pb.js";
import { file_polyglot_events_v1_user_events } from "../src/gen/polyglot/events/v1/user_events_pb.js";

const testdata = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../schemas/testdata");

const files = [
  file_polyglot_common_v1_metadata,
  file_polyglot_common_v1_money,
  file_polyglot_events_v1_analytics_events,
  file_polyglot_events_v1_notification_events,
  file_polyglot_events_v1_order_events,
  file_polyglot_events_v1_user_events,
];
const registry = createRegistry(...files);
const ours = (typeName: string): boolean => typeName.startsWith("polyglot.");

interface Vector {
  readonly typeName: string;
  readonly name: string;
  readonly binary: Uint8Array;
  readonly json: JsonValue;
}

function loadVectors(): Vector[] {
  const vectors: Vector[] = [];
  for (const pkg of readdirSync(testdata).filter((d) => d.startsWith("polyglot.")).sort()) {
    for (const message of readdirSync(path.join(testdata, pkg)).sort()) {
      const dir = path.join(testdata, pkg, message);
      for (const file of readdirSync(dir).filter((f) => f.endsWith(".binpb")).sort()) {
        const name = file.slice(0, -".binpb".length);
        vectors.push({
          typeName: `${pkg}.${message}`,
          name,
          binary: new Uint8Array(readFileSync(path.join(dir, file))),
          json: JSON.parse(readFileSync(path.join(dir, `${name}.json`), "utf8")) as JsonValue,
        });
      }
    }
  }
  return vectors;
}

function schemaOf(typeName: string): DescMessage {
  const schema = registry.getMessage(typeName);
  if (!schema) throw new Error(`no generated message ${typeName}: is src/gen stale?`);
  return schema;
}

/** Calls `visit` on the message and on every message nested in it, at any depth. */
function walk(msg: ReflectMessage, visit: (msg: ReflectMessage) => void): void {
  visit(msg);
  for (const field of msg.fields) {
    if (!msg.isSet(field)) continue;
    if (field.fieldKind === "message") walk(msg.get(field), visit);
    if (field.fieldKind === "list" && field.listKind === "message") {
      for (const item of msg.get(field)) if (isReflectMessage(item)) walk(item, visit);
    }
    if (field.fieldKind === "map" && field.mapKind === "message") {
      for (const [, item] of msg.get(field)) if (isReflectMessage(item)) walk(item, visit);
    }
  }
}

/** Map entry order on the wire is unspecified, so such messages compare as messages, not bytes. */
function hasMultiEntryMap(schema: DescMessage, message: Message): boolean {
  let found = false;
  walk(reflect(schema, message), (m) => {
    for (const field of m.fields) if (field.fieldKind === "map" && m.get(field).size > 1) found = true;
  });
  return found;
}

function expectSameEncoding(schema: DescMessage, actual: Uint8Array, expected: Uint8Array): void {
  const a = fromBinary(schema, actual);
  if (hasMultiEntryMap(schema, a)) {
    expect(equals(schema, a, fromBinary(schema, expected), { registry })).toBe(true);
  } else {
    expect(Buffer.from(actual).toString("hex")).toBe(Buffer.from(expected).toString("hex"));
  }
}

const vectors = loadVectors();

describe("schemas/testdata vectors in TypeScript (protobuf-es)", () => {
  it("exist, one directory per generated message type, each with a `full` case", () => {
    const messages = [...registry].filter((t) => t.kind === "message" && ours(t.typeName)).map((t) => t.typeName);
    expect(messages.length).toBeGreaterThan(0);
    for (const typeName of messages) {
      expect(vectors.map((v) => `${v.typeName}/${v.name}`), typeName).toContain(`${typeName}/full`);
    }
    for (const v of vectors) schemaOf(v.typeName);
  });

  it("use every value of every enum somewhere", () => {
    const used = new Set<string>();
    for (const v of vectors) {
      walk(reflect(schemaOf(v.typeName), fromBinary(schemaOf(v.typeName), v.binary)), (m) => {
        for (const field of m.fields) {
          if (field.fieldKind === "enum") used.add(`${field.enum.typeName}=${m.get(field)}`);
          if (field.fieldKind === "list" && field.listKind === "enum") {
            for (const value of m.get(field)) used.add(`${field.enum.typeName}=${String(value)}`);
          }
        }
      });
    }
    const enums = [...registry].filter((t): t is DescEnum => t.kind === "enum" && ours(t.typeName));
    const missing = enums.flatMap((e) => e.values.map((value) => `${e.typeName}=${value.number}`)).filter((k) => !used.has(k));
    expect(missing).toEqual([]);
  });

  describe.each(vectors.filter((v) => !v.name.startsWith("future-")))("$typeName/$name", (v) => {
    const schema = schemaOf(v.typeName);

    it("binary -> message -> binary gives the same bytes", () => {
      expectSameEncoding(schema, toBinary(schema, fromBinary(schema, v.binary)), v.binary);
    });

    it("JSON -> message equals binary -> message", () => {
      const fromJsonMsg = fromJson(schema, v.json, { registry });
      expect(equals(schema, fromJsonMsg, fromBinary(schema, v.binary), { registry })).toBe(true);
    });

    it("JSON -> message -> binary gives the .binpb", () => {
      expectSameEncoding(schema, toBinary(schema, fromJson(schema, v.json, { registry })), v.binary);
    });

    it("binary -> message -> JSON gives the .json", () => {
      expect(toJson(schema, fromBinary(schema, v.binary), { registry })).toEqual(v.json);
    });
  });

  describe.each(vectors.filter((v) => v.name.startsWith("future-")))("$typeName/$name (written by a newer schema)", (v) => {
    const schema = schemaOf(v.typeName);

    it("decodes, keeps the unknown fields and re-encodes to the same bytes", () => {
      const message = fromBinary(schema, v.binary);
      const unknown: unknown[] = [];
      walk(reflect(schema, message), (m) => unknown.push(...(m.getUnknown() ?? [])));
      expect(unknown.length).toBeGreaterThan(0);
      expect(hasMultiEntryMap(schema, message)).toBe(false);
      expect(Buffer.from(toBinary(schema, message)).toString("hex")).toBe(Buffer.from(v.binary).toString("hex"));
    });

    it("JSON -> message equals binary -> message without the unknown fields", () => {
      const known = fromBinary(schema, v.binary, { readUnknownFields: false });
      expect(equals(schema, fromJson(schema, v.json, { registry }), known, { registry })).toBe(true);
      expect(toJson(schema, known, { registry })).toEqual(v.json);
    });
  });
});
