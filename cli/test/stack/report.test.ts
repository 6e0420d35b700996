import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "vitest";
import { logTail } from "../../src/stack/report.js";
import { startMarker } from "../../src/stack/start.js";

test("a failure shows what the latest start logged, without the stack frames", async () => {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "polyglot-report-")), "kafka.log");
  writeFileSync(
    file,
    [
      `${startMarker} kafka at yesterday ====`,
      "old run, fine",
      `${startMarker} kafka at now ====`,
      "ERROR Exiting Kafka due to fatal exception",
      "java.lang.IllegalArgumentException: requirement failed: Each listener must have a different port",
      "\tat scala.Predef$.require(Predef.scala:337)",
      "\t... 7 more",
      "shutting down",
    ].join("\n"),
  );
  expect(await logTail(file, 25)).toEqual([
    "ERROR Exiting Kafka due to fatal exception",
    "java.lang.IllegalArgumentException: requirement failed: Each listener must have a different port",
    "shutting down",
  ]);
});
