import { spawn } from "node:child_process";
import { describe, expect, test } from "vitest";
import { parseEndToEndLatency } from "../../src/load/baseline.js";
import { judgeStep } from "../../src/load/find-max.js";
import { GroupSampler, parseStat } from "../../src/load/proc-stats.js";
import type { LoadResult } from "../../src/load/result.js";

test("/proc/PID/stat: a command name with spaces and parentheses does not shift the fields", () => {
  const fields = ["S", "1", "4242", "4242", "0", "-1", "4194560", "100", "0", "0", "0", "250", "50", "7", "3", "20", "0", "30", "0", "123", "456789", "1000"];
  const stat = parseStat(`4243 (python3 (uvicorn) x) ${fields.join(" ")}`);
  expect(stat).toEqual({ pgrp: 4242, cpuTicks: 250 + 50 + 7 + 3, rssPages: 1000 });
});

test("EndToEndLatency's closing lines", () => {
  const out = "0\t200.3\nAvg latency: 1.2345 ms\nPercentiles: 50th = 1, 99th = 3, 99.9th = 9\n";
  expect(parseEndToEndLatency(out, 1_000)).toEqual({ records: 1_000, avg_ms: 1.23, p50_ms: 1, p99_ms: 3, p999_ms: 9 });
  expect(parseEndToEndLatency("Exception in thread main", 1_000)).toBeUndefined();
});

test("a find-max step passes only with every chain complete, no error and p99 under the SLO", () => {
  const base = { interrupted: false, errors: {}, incomplete: 0, orders: { incomplete: 0 }, drain_s: 20, chain_ms: { p99: 400 } } as unknown as LoadResult;
  expect(judgeStep(base, 1_000).ok).toBe(true);
  expect(judgeStep({ ...base, chain_ms: { ...base.chain_ms, p99: 1_000 } }, 1_000)).toMatchObject({ ok: false, why: expect.stringMatching(/p99/) });
  expect(judgeStep({ ...base, incomplete: 3 }, 1_000)).toMatchObject({ ok: false, why: expect.stringMatching(/3 chains incomplete/) });
  expect(judgeStep({ ...base, errors: { "HTTP 503": 2 } }, 1_000)).toMatchObject({ ok: false, why: "2 requests failed" });
});

describe("GroupSampler", () => {
  test("finds a group's members by scanning /proc, then reads only them until the next scan", async () => {
    const child = spawn("sh", ["-c", "sleep 30 & sleep 30 & wait"], { detached: true, stdio: "ignore" });
    try {
      const pgid = child.pid as number;
      const sampler = new GroupSampler(new Set([pgid]), 3);
      // The shell forks its two sleeps: wait until the scan sees all three.
      await expect.poll(async () => (await new GroupSampler(new Set([pgid])).sample()).get(pgid)?.rssBytes ?? 0).toBeGreaterThan(0);
      const first = await sampler.sample();
      const second = await sampler.sample();
      expect(first.get(pgid)?.rssBytes).toBeGreaterThan(0);
      expect(second.get(pgid)?.rssBytes).toBeGreaterThan(0);
      expect(second.get(pgid)?.cpuMs).toBeGreaterThanOrEqual(first.get(pgid)?.cpuMs ?? 0);
    } finally {
      process.kill(-(child.pid as number), "SIGKILL");
    }
  });
});
