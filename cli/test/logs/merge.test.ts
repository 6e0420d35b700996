// One chain from several components' logs, merged in time order.
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { mergeChain, mergeLines, pickLines } from "../../src/logs/merge.js";
import { renderJson, renderLine, serviceOf } from "../../src/logs/render.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "polyglot-logs-"));

function log(name: string, lines: readonly string[]): { component: string; file: string } {
  const file = path.join(dir, `${name}.log`);
  writeFileSync(file, `${lines.join("\n")}\n`);
  return { component: name, file };
}

describe("mergeChain", () => {
  test("lines of one correlation id from every log, in time order to the nanosecond, others left out", async () => {
    const sources = [
      log("user-service", [
        "",
        "==== ./polyglot up: starting user-service at 2026-11-25T08:55:41.087Z ====",
        '{"@timestamp":"2026-11-25T09:00:00.000000100Z","level":"INFO","message":"user signed up","correlation_id":"c-1","service":"user-service"}',
        '{"@timestamp":"2026-11-25T09:00:00.000000200Z","level":"INFO","message":"another chain","correlation_id":"c-2","service":"user-service"}',
      ]),
      log("order-service", [
        '{"time":"2026-11-25T09:00:00.000000150Z","level":"INFO","msg":"user signed up","service":"order-service","correlation_id":"c-1"}',
        '{"time":"2026-11-25T09:00:00.003Z","level":"INFO","msg":"order created","service":"order-service","correlation_id":"c-1"}',
      ]),
      log("notification-service", ['{"level": "INFO", "message": "e-mail sent", "correlation_id": "c-1", "time": "2026-11-25T10:00:00.002+01:00"}']),
      log("kafka", ["[2026-11-25T09:00:00,001] INFO  nothing about it (X)", "a continuation line naming c-1 without a time of its own"]),
    ];
    const merged = await mergeChain(sources, "c-1");
    expect(merged.map((m) => `${m.component}: ${m.line.message ?? m.line.raw}`)).toEqual([
      "user-service: user signed up",
      "order-service: user signed up",
      "kafka: a continuation line naming c-1 without a time of its own",
      "notification-service: e-mail sent",
      "order-service: order created",
    ]);
    // The continuation line took the time of the line before it.
    expect(merged[2]?.time).toEqual({ ms: Date.UTC(2026, 10, 25, 9, 0, 0, 1), ns: 0 });
  });

  test("a component's rotated files are read before its current one, and a line without a time inherits across lines left unparsed", async () => {
    const rotated = log("kafka-2026-12-03T10-00-00.000", ["[2026-11-25T09:00:00,001] INFO  chain c-1 begins (X)", "[2026-11-25T09:00:00,002] INFO  another chain c-2 (X)", "stack line of c-2"]);
    const current = log("kafka", ["  at c-1 continuation without a time", '{"time":"2026-11-25T09:00:00.005Z","msg":"last","correlation_id":"c-1"}']);
    const merged = await mergeChain([{ component: "kafka", file: current.file, rotated: [rotated.file] }], "c-1");
    expect(merged.map((m) => [m.line.message ?? m.line.raw.trim(), m.time?.ms])).toEqual([
      ["chain c-1 begins (X)", Date.UTC(2026, 10, 25, 9, 0, 0, 1)],
      // The newest timed line before it is the c-2 line, never parsed until now.
      ["at c-1 continuation without a time", Date.UTC(2026, 10, 25, 9, 0, 0, 2)],
      ["last", Date.UTC(2026, 10, 25, 9, 0, 0, 5)],
    ]);
  });

  test("no line of the chain gives an empty list", async () => {
    expect(await mergeChain([log("empty", ['{"msg":"x","correlation_id":"c-9"}'])], "c-1")).toEqual([]);
  });
});

describe("mergeLines", () => {
  test("lines without any time come first; equal times keep file and line order", () => {
    const a = pickLines("a", 0, ['{"time":"2026-01-01T00:00:01Z","msg":"a1"}', '{"time":"2026-01-01T00:00:01Z","msg":"a2"}'], () => true);
    const b = pickLines("b", 1, ["untimed", '{"time":"2026-01-01T00:00:01Z","msg":"b1"}', '{"time":"2026-01-01T00:00:00Z","msg":"b0"}'], () => true);
    expect(mergeLines([a, b]).map((m) => m.line.message ?? m.line.raw)).toEqual(["untimed", "b0", "a1", "a2", "b1"]);
  });
});

describe("render", () => {
  const [line] = pickLines("order-service-2", 0, ['{"time":"2026-11-25T09:00:41.886Z","level":"WARN","msg":"order created","service":"order-service","order_id":"o 1","offset":3,"correlation_id":"c-1"}'], () => true);

  test("a line shows time, component, level, message and the other fields; not the ones in its head", () => {
    if (line === undefined) throw new Error("no line");
    const text = renderLine("order-service-2", line.line, 20).replace(/\x1b\[[0-9;]*m/g, "");
    expect(text).toBe('09:00:41.886 order-service-2      WARN  order created  order_id="o 1" offset=3');
  });

  test("--json keeps the fields and names the component", () => {
    if (line === undefined) throw new Error("no line");
    expect(JSON.parse(renderJson("order-service-2", line.line))).toMatchObject({ component: "order-service-2", time: "2026-11-25T09:00:41.886Z", fields: { order_id: "o 1" } });
  });

  test("instances and brokers share their service's colour", () => {
    expect(serviceOf("order-service-2")).toBe("order-service");
    expect(serviceOf("kafka-3")).toBe("kafka");
    expect(serviceOf("user-service")).toBe("user-service");
  });
});
