import { expect, test } from "vitest";
import { LatencyHistogram } from "../../src/load/percentiles.js";

test("percentiles of 1..1000 ms are within HdrHistogram's 3 significant digits", () => {
  const h = new LatencyHistogram();
  for (let ms = 1; ms <= 1_000; ms++) h.record(ms);
  const s = h.summary();
  expect(s.count).toBe(1_000);
  expect(s.p50).toBeCloseTo(500, -0.5);
  expect(s.p90).toBeCloseTo(900, -0.5);
  expect(s.p99).toBeCloseTo(990, -0.5);
  expect(s.p999).toBeCloseTo(999, -0.5);
  expect(s.max).toBeCloseTo(1_000, -0.5);
});

test("sub-millisecond latencies keep their resolution; a negative one counts as 0", () => {
  const h = new LatencyHistogram();
  h.record(0.25);
  h.record(0.75);
  h.record(-3);
  expect(h.at(50)).toBe(0.25);
  expect(h.summary().max).toBe(0.75);
  expect(h.at(0)).toBe(0);
});

test("an empty histogram reports zeros", () => {
  expect(new LatencyHistogram().summary()).toEqual({ count: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 });
});
