// Bounded waits on a condition, for the CLI and every suite: never a fixed sleep, and never a
// wait for one thing followed by an assertion on another. A wait ends when the property that is
// about to be relied on holds; a slow machine can only make it slower, never wrong.
import pWaitFor, { TimeoutError } from "p-wait-for";

/** Waits until `condition` holds; throws "timed out after N s waiting for <what>" after `timeoutMs`. */
export async function waitUntil(what: string, condition: () => Promise<boolean> | boolean, timeoutMs: number, intervalMs = 200): Promise<void> {
  try {
    await pWaitFor(condition, { interval: intervalMs, timeout: timeoutMs });
  } catch (error: unknown) {
    if (error instanceof TimeoutError) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    throw error;
  }
}

export interface ValueWait<T> {
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  /** How the last value read is shown when the wait times out. */
  readonly show?: (value: T) => string;
}

/**
 * Reads a value until it has the property the caller is about to rely on, and returns that
 * value. A read that throws counts as "not yet" (a server still starting), and its error is
 * what the timeout reports if nothing better was read. Waiting for a value to be merely present
 * and then asserting on it races whatever is still moving it (a scrape before the topics exist
 * reads 0): wait for the property itself.
 */
export async function waitForValue<T>(what: string, read: () => Promise<T>, accept: (value: T) => boolean, options: ValueWait<T>): Promise<T> {
  let last = "nothing read yet";
  try {
    return await pWaitFor(
      async () => {
        let value: T;
        try {
          value = await read();
        } catch (error: unknown) {
          last = `error: ${error instanceof Error ? error.message : String(error)}`;
          return false;
        }
        last = options.show === undefined ? JSON.stringify(value) : options.show(value);
        return accept(value) && pWaitFor.resolveWith(value);
      },
      { interval: options.intervalMs ?? 500, timeout: options.timeoutMs },
    );
  } catch (error: unknown) {
    if (error instanceof TimeoutError) throw new Error(`timed out after ${options.timeoutMs / 1000} s waiting for ${what}; last read: ${last}`);
    throw error;
  }
}
