import { expect, test } from "vitest";
import { harnesses } from "../../src/bench/serialization-harnesses.js";

const shown = (language: keyof typeof harnesses, lines: readonly string[]): string[] => {
  const filter = harnesses[language].progressFilter();
  return lines.map(filter).filter((l): l is string => l !== undefined);
};

test("JMH's progress becomes one line per fork: percent, ETA and what it measures", () => {
  expect(
    shown("java", [
      "# JMH version: 1.37",
      "# Benchmark: dev.polyglot.bench.serialization.SerializationBenchmark.decode",
      "# Parameters: (format = avro, message = polyglot.events.v1.UserSignupEvent)",
      "",
      "# Run progress: 16.67% complete, ETA 00:01:10",
      "# Fork: 1 of 1",
      "Iteration   1: 2653.1 ns/op",
    ]),
  ).toEqual(["java: 17% (ETA 00:01:10) UserSignupEvent avro decode"]);
});

test("go test -bench lines become the benchmark and its ns/op", () => {
  expect(
    shown("go", [
      "goos: linux",
      "BenchmarkSerialization/UserSignupEvent/protobuf/encode-2         	  532120	       451.3 ns/op",
      "BenchmarkSerialization/UserSignupEvent/protobuf/encode",
      "PASS",
    ]),
  ).toEqual(["go: UserSignupEvent/protobuf/encode 451 ns/op"]);
});

test("pytest's verbose lines become the percent done and the benchmark", () => {
  expect(
    shown("python", [
      "test_serialization.py::test_encode[UserSignupEvent-protobuf] PASSED       [  1%]",
      "test_serialization.py::test_decode[MetricsCollected-orjson] PASSED        [100%]",
      "---- benchmark: 80 tests ----",
    ]),
  ).toEqual(["python: 1% UserSignupEvent-protobuf encode", "python: 100% MetricsCollected-orjson decode"]);
});

test("the TypeScript harness's own lines are shown as they are", () => {
  expect(shown("typescript", ["UserSignupEvent avsc 5.7.9 (bigint long) encode: 1234 ns/op (640 samples)", "other"])).toEqual([
    "typescript: UserSignupEvent avsc 5.7.9 (bigint long) encode: 1234 ns/op (640 samples)",
  ]);
});
