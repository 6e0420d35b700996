// `--find-max`: the rate steps up on a fixed schedule, the same every time so that two searches
// compare, and the highest step at which every chain completed within the drain and the chain
// p99 stayed under the SLO is the answer. The search stops at the first step that fails: above
// it the stack only queues more.
//
// Each step sends for 20 s (at 5/s that is 100 chains: long enough for the lag and the latency
// to settle at that rate), then drains up to 20 s; a search that climbs to 20/s and fails at 25/s
// takes about 2.5 minutes, so `./polyglot bench` (three searches) stays within 10 minutes on 2 cores.
import type { LoadResult } from "./result.js";

export interface FindMaxSchedule {
  readonly rates: readonly number[];
  readonly stepDurationS: number;
  readonly stepDrainS: number;
}

export const findMaxSchedule: FindMaxSchedule = { rates: [2, 5, 10, 15, 20, 25, 30, 40, 50, 70, 100], stepDurationS: 20, stepDrainS: 20 };

export interface StepVerdict {
  readonly rate: number;
  readonly ok: boolean;
  /** Why it failed, or `ok`. */
  readonly why: string;
  readonly result: LoadResult;
}

export interface FindMaxResult {
  readonly slo_p99_ms: number;
  /** The highest passing rate; 0 when even the first step failed. */
  readonly max_rate: number;
  readonly steps: readonly StepVerdict[];
  readonly interrupted: boolean;
}

export function scheduleText(sloMs: number, schedule: FindMaxSchedule = findMaxSchedule): string {
  return `find-max schedule: ${schedule.rates.join(", ")} sign-ups/s, each for ${schedule.stepDurationS} s with up to ${schedule.stepDrainS} s of drain; a step passes when every chain completes within the drain, nothing fails and the chain p99 is under ${sloMs} ms; the search stops at the first step that does not`;
}

export function judgeStep(r: LoadResult, sloMs: number): { ok: boolean; why: string } {
  const errors = Object.values(r.errors).reduce((a, b) => a + b, 0);
  if (r.interrupted) return { ok: false, why: "interrupted" };
  if (errors > 0) return { ok: false, why: `${errors} requests failed` };
  if (r.incomplete > 0 || r.orders.incomplete > 0) return { ok: false, why: `${r.incomplete + r.orders.incomplete} chains incomplete after ${r.drain_s} s of drain` };
  if (r.chain_ms.p99 >= sloMs) return { ok: false, why: `chain p99 ${r.chain_ms.p99} ms, not under ${sloMs} ms` };
  return { ok: true, why: "ok" };
}

export async function findMax(runStep: (rate: number) => Promise<LoadResult>, sloMs: number, onStep: (v: StepVerdict) => void, schedule: FindMaxSchedule = findMaxSchedule): Promise<FindMaxResult> {
  const steps: StepVerdict[] = [];
  let max = 0;
  for (const rate of schedule.rates) {
    const result = await runStep(rate);
    const verdict = { rate, ...judgeStep(result, sloMs), result };
    steps.push(verdict);
    onStep(verdict);
    if (!verdict.ok) return { slo_p99_ms: sloMs, max_rate: max, steps, interrupted: result.interrupted };
    max = rate;
  }
  return { slo_p99_ms: sloMs, max_rate: max, steps, interrupted: false };
}

/** The step of a search at its highest passing rate (undefined when none passed). */
export function maxStep(f: FindMaxResult): StepVerdict | undefined {
  return f.steps.find((s) => s.ok && s.rate === f.max_rate);
}
