import { describe, expect, test } from "vitest";
import { dueAt, lateThresholdMs, runSchedule, type Clock } from "../../src/load/schedule.js";

/** A clock that moves only when the schedule sleeps, or when a test makes it jump (a stalled loop). */
function fakeClock(): Clock & { jump(ms: number): void } {
  let now = 1_000;
  return {
    now: () => now,
    sleepUntil: async (at) => {
      now = Math.max(now, at);
    },
    jump: (ms) => {
      now += ms;
    },
  };
}

describe("open-loop schedule", () => {
  test("send i is due at start + i / rate", () => {
    expect([0, 1, 2, 10].map((i) => dueAt(500, i, 20))).toEqual([500, 550, 600, 1_000]);
  });

  test("every send fires at its own time, none waits for an earlier one", async () => {
    const clock = fakeClock();
    const fired: { i: number; at: number; due: number }[] = [];
    const stats = await runSchedule({ rate: 10, count: 5, clock, signal: new AbortController().signal, send: (i, due) => fired.push({ i, at: clock.now(), due }) });
    expect(fired.map((f) => f.at)).toEqual([1_000, 1_100, 1_200, 1_300, 1_400]);
    expect(stats).toMatchObject({ fired: 5, late: 0, maxLateMs: 0, stopped: false });
  });

  test("a stalled loop fires the overdue sends at once, counts them late and skips none", async () => {
    const clock = fakeClock();
    const fired: number[] = [];
    const stats = await runSchedule({
      rate: 10,
      count: 10,
      clock,
      signal: new AbortController().signal,
      send: (i) => {
        fired.push(i);
        // Send 2 holds the loop for 450 ms: sends 3..6 (due at +300..+600) are overdue when it returns.
        if (i === 2) clock.jump(450);
      },
    });
    expect(fired).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(stats.fired).toBe(10);
    // Due at 1300, 1400, 1500, 1600; the loop is back at 1650.
    expect(stats.latenessMs.slice(3, 7)).toEqual([350, 250, 150, 50]);
    expect(stats.late).toBe(4);
    expect(stats.maxLateMs).toBe(350);
    expect(stats.latenessMs.slice(7).every((l) => l <= lateThresholdMs)).toBe(true);
  });

  test("an abort stops the sending and says so", async () => {
    const clock = fakeClock();
    const controller = new AbortController();
    const stats = await runSchedule({ rate: 100, count: 50, clock, signal: controller.signal, send: (i) => i === 9 && controller.abort() });
    expect(stats).toMatchObject({ fired: 10, stopped: true });
  });
});
