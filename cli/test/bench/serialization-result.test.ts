import { expect, test } from "vitest";
import { parseHarnessResults, shortName } from "../../src/bench/serialization-result.js";

const row = { message: "polyglot.events.v1.UserSignupEvent", format: "protobuf", library: "protobuf-java 4.36.2", bytes: 437, encode_ns: 120.5, decode_ns: 230 };
const doc = (results: unknown[], language = "java") => ({ language, runtime: "OpenJDK 17", harness: "JMH 1.37", settings: "fork 1", results });

test("a harness's results file becomes one language's figures", () => {
  const parsed = parseHarnessResults(doc([row, { ...row, format: "json", library: "Jackson 3.1.4 (records)", bytes: 679 }]), "java", "java.json", 95);
  expect(parsed).toMatchObject({ language: "java", runtime: "OpenJDK 17", harness: "JMH 1.37", settings: "fork 1", seconds: 95 });
  expect(parsed.figures).toEqual([
    { message: "polyglot.events.v1.UserSignupEvent", format: "protobuf", library: "protobuf-java 4.36.2", encodeNs: 120.5, decodeNs: 230, bytes: 437 },
    { message: "polyglot.events.v1.UserSignupEvent", format: "json", library: "Jackson 3.1.4 (records)", encodeNs: 120.5, decodeNs: 230, bytes: 679 },
  ]);
});

test.each([
  ["another language's file", doc([row], "go"), /java\.json: "language" must be "java", got "go"/],
  ["no results", doc([]), /"results" must be a non-empty array/],
  ["not an object", [row], /expected one JSON object/],
  ["a format it does not know", doc([{ ...row, format: "xml" }]), /results\[0\]\.format must be one of protobuf, json, avro, got "xml"/],
  ["a missing time", doc([{ ...row, decode_ns: undefined }]), /"results\[0\]\.decode_ns" must be a number >= 0/],
  ["a time that is not a number", doc([{ ...row, encode_ns: "12" }]), /"results\[0\]\.encode_ns" must be a number >= 0, got "12"/],
  ["a negative size", doc([{ ...row, bytes: -1 }]), /"results\[0\]\.bytes" must be a number >= 0, got -1/],
  ["an empty library", doc([{ ...row, library: "" }]), /"results\[0\]\.library" must be a non-empty string/],
  ["the same message and library twice", doc([row, row]), /results\[1\] repeats polyglot\.events\.v1\.UserSignupEvent protobuf-java 4\.36\.2/],
])("a results file with %s is refused, naming the file and the field", (_name, raw, message) => {
  expect(() => parseHarnessResults(raw, "java", "java.json", 1)).toThrow(message);
});

test("a message's short name is its last segment", () => {
  expect(shortName("polyglot.events.v1.OrderCreatedEvent")).toBe("OrderCreatedEvent");
});
