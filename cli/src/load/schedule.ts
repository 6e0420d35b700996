// The open-loop schedule (as wrk2 and constant-arrival-rate generators keep it): send i is due at
// start + i / rate whatever happened to the sends before it, so a slow answer never delays the
// next request and coordinated omission cannot hide queueing. A send that fires after its time
// is counted as late (and by how much), never skipped.

export interface Clock {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  /** Resolves at `at` (or at once when it is past), or when `signal` aborts. */
  sleepUntil(at: number, signal: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleepUntil: (at, signal) =>
    new Promise((resolve) => {
      const wait = at - performance.now();
      if (wait <= 0 || signal.aborted) return resolve();
      const timer = setTimeout(done, wait);
      function done(): void {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve();
      }
      signal.addEventListener("abort", done, { once: true });
    }),
};

/** A send that fires more than this after its time counts as late (timers fire about 1 ms late on an idle loop). */
export const lateThresholdMs = 5;

/** When send `i` is due, in the clock's milliseconds. */
export const dueAt = (start: number, i: number, rate: number): number => start + (i * 1000) / rate;

export interface ScheduleStats {
  /** Sends fired. */
  readonly fired: number;
  /** Sends that fired more than lateThresholdMs after their time. */
  readonly late: number;
  readonly maxLateMs: number;
  /** Every send's lateness, in order. */
  readonly latenessMs: readonly number[];
  /** True when `signal` stopped it before the last send. */
  readonly stopped: boolean;
}

/**
 * Fires `send(i, dueMs)` for i = 0 .. count-1, each at its due time; does not wait for a send to
 * finish (it is not awaited: a send's promise is the caller's). Sends that are already due when
 * the loop wakes (it was held up) all fire at once, in order.
 */
export async function runSchedule(o: { rate: number; count: number; clock: Clock; signal: AbortSignal; send: (i: number, dueMs: number) => void; start?: number }): Promise<ScheduleStats> {
  const start = o.start ?? o.clock.now();
  const latenessMs: number[] = [];
  let late = 0;
  let maxLateMs = 0;
  for (let i = 0; i < o.count; i++) {
    const due = dueAt(start, i, o.rate);
    if (o.clock.now() < due) await o.clock.sleepUntil(due, o.signal);
    if (o.signal.aborted) return { fired: i, late, maxLateMs, latenessMs, stopped: true };
    const lateness = Math.max(0, o.clock.now() - due);
    latenessMs.push(lateness);
    if (lateness > lateThresholdMs) late++;
    if (lateness > maxLateMs) maxLateMs = lateness;
    o.send(i, due);
  }
  return { fired: o.count, late, maxLateMs, latenessMs, stopped: false };
}
