import { describe, expect, test } from "vitest";
import { median, renderBenchmarksDoc, type BenchRecord } from "../../src/bench/benchmarks-doc.js";
import { renderHtml } from "../../src/load/html-report.js";
import type { LoadResult } from "../../src/load/result.js";

const p = (base: number) => ({ count: 10, p50: base, p90: base * 2, p99: base * 3, p999: base * 4, max: base * 5 });

function result(rate: number): LoadResult {
  return {
    started_at: "2026-12-03T08:00:00.000Z",
    run: "abcd1234",
    load_average: 1.5,
    cores: 2,
    rate,
    duration_s: 20,
    orders_per_signup: 0,
    drain_s: 30,
    sent: rate * 20,
    accepted: rate * 20,
    completed: rate * 20,
    incomplete: 0,
    achieved_rate: rate,
    late_sends: 0,
    max_late_ms: 1,
    errors: {},
    orders: { sent: 0, accepted: 0, refused_422: 0, completed: 0, incomplete: 0, chain_ms: { count: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 } },
    http_ms: p(5),
    chain_ms: p(40),
    hops: { "sign-up → welcome order": p(3) },
    incomplete_waiting_for: {},
    faulty_chains: 0,
    peak_lag: { "notification-service": 4 },
    cpu_ms: { kafka: 1_000, "notification-service": 2_000, "load generator": 300 },
    cpu_ms_per_chain: { kafka: 10, "notification-service": 20, "load generator": 3 },
    rss_mb: { kafka: 700, "notification-service": 80, "load generator": 150 },
    generator_cpu_pct: 4,
    baseline: { records: 1_000, avg_ms: 1.2, p50_ms: 1, p99_ms: 3, p999_ms: 9, chain_p50_multiple: 8.3 },
    interrupted: false,
    wall_s: 25,
    timeline: [{ t: 0, sent: 5, completed: 4, chain_p50_ms: 40, chain_p99_ms: 120 }],
    lag_series: [{ t: 0, lag: { "notification-service": 4 } }],
    resource_series: [{ t: 1, cpuPct: { kafka: 30 }, rssMb: { kafka: 700 } }],
  };
}

describe("docs/benchmarks.md", () => {
  test("median of the searches", () => {
    expect(median([10, 5, 15])).toBe(10);
    expect(median([10, 20])).toBe(15);
    expect(median([])).toBe(0);
  });

  test("holds the date, machine, commit, every figure and the command behind it", () => {
    const step = (rate: number, ok: boolean) => ({ rate, ok, why: ok ? "ok" : "chain p99 2000 ms, not under 1000 ms", result: result(rate) });
    const record: BenchRecord = {
      date: "2026-12-03T08:00:00.000Z",
      machine: { cores: 2, memory_gib: 24, cpu_model: "AMD EPYC", os: "Linux 6", node: "v24.21.0", load_average: 1.5 },
      commit: { sha: "0123456789ab", dirty: false },
      command: "./polyglot bench",
      wallS: 600,
      idle: { command: "./polyglot load --rate 5 --duration 20 --drain 30", result: result(5) },
      reference: { command: "./polyglot load --rate 20 --duration 20 --drain 60", result: result(20) },
      searches: [0, 1, 2].map(() => ({ slo_p99_ms: 1_000, max_rate: 10, steps: [step(5, true), step(10, true), step(15, false)], interrupted: false })),
      findMaxCommand: "./polyglot load --find-max --slo-p99 1s",
      medianMaxRate: 10,
      atMax: result(10),
      serialization: "| message | protobuf |\n| --- | --- |",
    };
    const doc = renderBenchmarksDoc(record);
    for (const text of ["2026-12-03T08:00:00.000Z", "2 cores (AMD EPYC), 24 GiB", "`0123456789ab`", "`./polyglot bench`", "**10 sign-ups/s**", "three times", "`./polyglot load --rate 5 --duration 20 --drain 30`", "`./polyglot load --rate 20 --duration 20 --drain 60`", "**8.3 x**", "| notification-service | 20 | 20 | 20 |", "| message | protobuf |"]) {
      expect(doc).toContain(text);
    }
  });
});

describe("HTML report", () => {
  test("one self-contained file: Chart.js inlined, nothing fetched, data that cannot close its script", async () => {
    const r = { ...result(5), hops: { "</script><b>": p(1) } };
    const html = await renderHtml(r);
    expect(html.length).toBeGreaterThan(100_000);
    expect(html).toContain("new Chart(");
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
    expect(html).not.toContain("</script><b>");
  });
});
