// Turns a protobuf-es message into the plain object avsc writes for the schemas in
// bench/serialization/avro/: the .proto field names, enums by symbol, unset messages as null,
// int64 as bigint (the harness's long type, see formats.ts).
import type { DescField, DescMessage } from "@bufbuild/protobuf";

type Plain = Record<string, unknown>;

function enumName(field: DescField, value: unknown): string {
  const desc = field.enum;
  const name = desc?.values.find((v) => v.number === value)?.name;
  if (name === undefined) throw new Error(`${field.toString()}: no enum value ${String(value)}`);
  return name;
}

function single(field: DescField, kind: string, value: unknown): unknown {
  if (kind === "message") return toAvroRecord(field.message as DescMessage, value as Plain);
  if (kind === "enum") return enumName(field, value);
  return value;
}

export function toAvroRecord(desc: DescMessage, message: Plain): Plain {
  const out: Plain = {};
  for (const field of desc.fields) {
    const value = message[field.localName];
    switch (field.fieldKind) {
      case "list":
        out[field.name] = (value as unknown[]).map((item) => single(field, field.listKind, item));
        break;
      case "map":
        out[field.name] = Object.fromEntries(Object.entries(value as Plain).map(([k, v]) => [k, single(field, field.mapKind, v)]));
        break;
      case "message":
        out[field.name] = value === undefined ? null : single(field, "message", value);
        break;
      default:
        out[field.name] = single(field, field.fieldKind, value);
    }
  }
  return out;
}
