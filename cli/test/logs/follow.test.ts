// Following every log at once: existing tails, appended lines, and a log that appears later.
import { appendFileSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "vitest";
import { followLogs, logSources } from "../../src/logs/follow.js";
import type { MergedLine } from "../../src/logs/merge.js";

test("follows every log, including one created after the start, and stops when aborted", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "polyglot-follow-"));
  writeFileSync(path.join(dir, "kafka.log"), "old line\n[2026-11-25T09:14:23,412] INFO  last line (X)\n");
  writeFileSync(path.join(dir, "order-service.log"), '{"time":"2026-11-25T09:00:00Z","msg":"started"}\n');
  const seen: MergedLine[] = [];
  const controller = new AbortController();
  const following = followLogs({ dir, lines: 1, components: [], keep: () => true, print: (m) => seen.push(m), signal: controller.signal, rescanMs: 100 });
  const texts = (): string[] => seen.map((m) => `${m.component}: ${m.line.message ?? m.line.raw}`);
  await expect.poll(texts).toEqual(expect.arrayContaining(["kafka: last line (X)", "order-service: started"]));
  expect(texts()).not.toContain("kafka: old line");

  appendFileSync(path.join(dir, "order-service.log"), '{"time":"2026-11-25T09:00:01Z","msg":"order created"}\n');
  writeFileSync(path.join(dir, "order-service-2.log"), '{"time":"2026-11-25T09:00:02Z","msg":"instance 2 up"}\n');
  await expect.poll(texts).toEqual(expect.arrayContaining(["order-service: order created", "order-service-2: instance 2 up"]));

  controller.abort();
  await following;
});

test("a component's rotated files are part of its source, oldest first, not components of their own", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "polyglot-sources-"));
  for (const f of ["order-service.log", "order-service-2.log", "order-service-2026-12-03T11-50-00.000.log", "order-service-2026-12-03T10-00-00.000.log", "order-service-2-2026-12-03T11-00-00.000.log"]) {
    writeFileSync(path.join(dir, f), "x\n");
  }
  const sources = await logSources(dir);
  expect(sources.map((s) => [s.component, (s.rotated ?? []).map((f) => path.basename(f))])).toEqual([
    ["order-service", ["order-service-2026-12-03T10-00-00.000.log", "order-service-2026-12-03T11-50-00.000.log"]],
    ["order-service-2", ["order-service-2-2026-12-03T11-00-00.000.log"]],
  ]);
});
