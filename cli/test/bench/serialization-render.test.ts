import { expect, test } from "vitest";
import { renderSerializationMarkdown, renderSerializationTable } from "../../src/bench/serialization.js";
import { figures, language, result } from "./serialization-fixture.js";

const java = language("java", [
  figures("UserSignupEvent", "json", "Jackson 3.1.4 (records)", 1234.4, 2000, 679),
  figures("UserSignupEvent", "protobuf", "protobuf-java 4.36.2", 150.6, 300, 437),
  figures("UserSignupEvent", "avro", "Apache Avro 1.12.2 (GenericRecord)", 400, 250, 405),
]);
const go = language("go", [
  figures("UserSignupEvent", "protobuf", "protobuf-go", 200, 300, 437),
  figures("UserSignupEvent", "json", "encoding/json", 900, 1500, 681),
  figures("UserSignupEvent", "avro", "hamba/avro", 300, 400, 409),
]);

test("the terminal table lists each language's figures, protobuf first, and marks the fastest", () => {
  const table = renderSerializationTable(result([java, go]));
  const lines = table.split("\n");
  const javaStart = lines.findIndex((l) => l.startsWith("Java: java runtime, java harness (short settings); 12 s"));
  expect(javaStart).toBeGreaterThan(0);
  const [header, protobuf, json, avro, verdict] = lines.slice(javaStart + 1, javaStart + 6);
  expect(header?.trim().split(/\s{2,}/)).toEqual(["message", "format", "library", "encode ns", "decode ns", "bytes"]);
  expect(protobuf).toMatch(/UserSignupEvent\s+protobuf\s+protobuf-java 4\.36\.2\s+151 \*\s+300\s+437$/);
  expect(json).toMatch(/^\s+JSON\s+Jackson 3\.1\.4 \(records\)\s+1,234\s+2,000\s+679$/);
  expect(avro).toMatch(/Avro\s+Apache Avro 1\.12\.2 \(GenericRecord\)\s+400\s+250 \*\s+405$/);
  expect(verdict).toBe(
    "  Protocol Buffers fastest? holds only in part: encode fastest on 1 of 1 messages, decode fastest on 0 of 1 (Apache Avro 1.12.2 (GenericRecord) decodes faster on all)",
  );
  expect(table).toContain("2 cores, 24 GiB, load average 1.3/0.5/0.3 at the start");
  expect(table).toContain("Go: go runtime");
  expect(lines.at(-1)).toBe("250 s in all.");
});

test("a quick run says its figures are not measurements", () => {
  expect(renderSerializationTable(result([java], true))).toMatch(/^QUICK RUN: a build check/);
  expect(renderSerializationMarkdown(result([java], true))).toContain("> QUICK RUN: a build check");
  expect(renderSerializationMarkdown(result([java]))).not.toContain("QUICK RUN");
});

test("the markdown answers the protobuf question per language, then sizes, then each language's table", () => {
  const md = renderSerializationMarkdown(result([java, go]));
  expect(md).toContain("Made by `./polyglot bench serialization` on 2026-12-03 (2 cores, 24 GiB, load average 1.3/0.5/0.3 at the start), in 250 s.");
  expect(md).toContain("| Java | holds only in part: encode fastest on 1 of 1 messages, decode fastest on 0 of 1 (Apache Avro 1.12.2 (GenericRecord) decodes faster on all) |");
  expect(md).toContain("| Go | holds: protobuf encodes and decodes fastest on all 1 messages |");
  // Sizes: one figure where the languages agree, each language's where they differ.
  expect(md).toContain("| UserSignupEvent | 437 | 405 (Java) / 409 (Go) | 679 (Java) / 681 (Go) |");
  expect(md).toContain("### Java\n\njava runtime; java harness: short settings. Build and run took 12 s.");
  expect(md).toContain("| UserSignupEvent | protobuf | protobuf-java 4.36.2 | **151** | 300 | 437 |");
  expect(md).toContain("| UserSignupEvent | Avro | Apache Avro 1.12.2 (GenericRecord) | 400 | **250** | 405 |");
  expect(md.indexOf("### Does the seed's")).toBeLessThan(md.indexOf("### Encoded sizes"));
  expect(md.indexOf("### Encoded sizes")).toBeLessThan(md.indexOf("### Java"));
  expect(md.endsWith("\n")).toBe(true);
});

test("two libraries of one format in one language are told apart in the sizes, and a | in a name cannot break the table", () => {
  const python = language("python", [
    figures("UserSignupEvent", "protobuf", "protobuf 7.36.2 (upb)", 500, 1100, 437),
    figures("UserSignupEvent", "json", "json (stdlib)", 6000, 5000, 679),
    figures("UserSignupEvent", "json", "orjson|3.13.0", 370, 1900, 680),
  ]);
  const md = renderSerializationMarkdown(result([python]));
  expect(md).toContain("| UserSignupEvent | 437 | - | 679 (Python: json (stdlib)) / 680 (Python: orjson\\|3.13.0) |");
  expect(md).toContain("| UserSignupEvent | JSON | orjson\\|3.13.0 | **370** | 1,900 | 680 |");
});
