// Waits until the services' consumer groups have no lag: a run that left a backlog (a failed
// find-max step) must not be measured into the next one.
import { groupLags } from "../chaos/lag.js";
import { drainState } from "../chaos/recovery.js";

/** Resolves with the seconds it waited, or undefined when the lag had not drained after `timeoutMs`. */
export async function waitQuiet(bootstrap: string, timeoutMs: number, signal?: AbortSignal): Promise<number | undefined> {
  const since = performance.now();
  const deadline = since + timeoutMs;
  while (performance.now() < deadline && signal?.aborted !== true) {
    try {
      if (drainState(await groupLags(bootstrap)).drained) return Math.round((performance.now() - since) / 100) / 10;
    } catch {
      // The broker too busy to answer in time: ask again.
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  return undefined;
}
