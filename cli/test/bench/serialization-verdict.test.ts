import { expect, test } from "vitest";
import { protobufVerdict } from "../../src/bench/serialization-verdict.js";
import { figures, language } from "./serialization-fixture.js";

test("protobuf fastest on both operations for every message: the row holds", () => {
  const verdict = protobufVerdict(
    language("go", [
      figures("UserSignupEvent", "protobuf", "protobuf-go", 100, 200, 437),
      figures("UserSignupEvent", "json", "encoding/json", 300, 900, 679),
      figures("OrderCreatedEvent", "protobuf", "protobuf-go", 150, 250, 452),
      figures("OrderCreatedEvent", "avro", "hamba/avro", 151, 251, 413),
    ]),
  );
  expect(verdict).toMatchObject({ holds: "yes", messages: 2, encodeWins: 2, decodeWins: 2, beatenBy: [] });
  expect(verdict.summary).toBe("holds: protobuf encodes and decodes fastest on all 2 messages");
});

test("JSON encoding faster on some messages: the row holds in part, naming who beat it where", () => {
  const verdict = protobufVerdict(
    language("typescript", [
      figures("UserSignupEvent", "protobuf", "protobuf-es", 500, 200, 437),
      figures("UserSignupEvent", "json", "JSON", 300, 900, 679),
      figures("OrderCreatedEvent", "protobuf", "protobuf-es", 150, 250, 452),
      figures("OrderCreatedEvent", "json", "JSON", 400, 900, 958),
    ]),
  );
  expect(verdict).toMatchObject({ holds: "partly", encodeWins: 1, decodeWins: 2 });
  expect(verdict.beatenBy).toEqual([{ library: "JSON", op: "encode", messages: ["UserSignupEvent"] }]);
  expect(verdict.summary).toBe("holds only in part: encode fastest on 1 of 2 messages, decode fastest on 2 of 2 (JSON encodes faster on 1)");
});

test("beaten on every message and operation: the row does not hold", () => {
  const verdict = protobufVerdict(
    language("python", [
      figures("UserSignupEvent", "protobuf", "protobuf", 500, 600, 437),
      figures("UserSignupEvent", "json", "orjson", 300, 400, 679),
      figures("UserSignupEvent", "avro", "fastavro", 900, 500, 405),
    ]),
  );
  expect(verdict.holds).toBe("no");
  expect(verdict.beatenBy).toEqual([
    { library: "fastavro", op: "decode", messages: ["UserSignupEvent"] },
    { library: "orjson", op: "encode", messages: ["UserSignupEvent"] },
    { library: "orjson", op: "decode", messages: ["UserSignupEvent"] },
  ]);
  expect(verdict.summary).toContain("does not hold: encode fastest on 0 of 1 messages, decode fastest on 0 of 1");
  expect(verdict.summary).toContain("orjson encodes faster on all");
});
