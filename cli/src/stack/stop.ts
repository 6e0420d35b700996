// `down`: stops the running components in reverse dependency order (each wave side by side):
// SIGTERM to the process group, a bounded wait, then SIGKILL; pid files and state go with them.
import type { Context } from "../context.js";
import { withInstances } from "./instances.js";
import { startWaves } from "./plan.js";
import { stopGroup } from "./process.js";
import { componentsFor } from "./start.js";
import { createStackEnv } from "./stack-env.js";
import { StackError } from "./stack-error.js";
import { forget, readState } from "./state.js";

export interface Stopped {
  readonly name: string;
  readonly pid: number;
  readonly how: "stopped" | "killed" | "not running";
  readonly seconds: number;
}

/** Stops the named components (all when `names` is empty); returns what happened to each. */
export async function stopStack(ctx: Context, names: readonly string[] = [], onStopped?: (s: Stopped) => void): Promise<Stopped[]> {
  let state = await readState(ctx.stateDir);
  if (state === undefined) return [];
  const unknown = names.filter((n) => !state?.components.some((c) => c.name === n));
  if (unknown.length > 0) {
    throw new StackError(`not running: ${unknown.join(", ")}`, `running now: ${state.components.map((c) => c.name).join(", ") || "nothing"}`);
  }
  const targets = state.components.filter((c) => names.length === 0 || names.includes(c.name));
  const env = createStackEnv(state.brokers, { ...process.env, ...state.portVars });
  const known = withInstances(componentsFor(env, "stack"), state.scale ?? {});
  const timeouts = new Map(known.map((c) => [c.name, c.stopTimeoutMs ?? 15_000]));
  // Dependents stop before what they depend on; a component no longer in the code stops first.
  const order = startWaves(known).map((wave) => wave.map((c) => c.name));
  const waves = [targets.filter((t) => !order.flat().includes(t.name)), ...order.reverse().map((wave) => targets.filter((t) => wave.includes(t.name)))];
  const results: Stopped[] = [];
  for (const wave of waves) {
    await Promise.all(
      wave.map(async (c) => {
        const since = performance.now();
        const how = await stopGroup(c.pid, timeouts.get(c.name) ?? 15_000);
        const result: Stopped = { name: c.name, pid: c.pid, how, seconds: (performance.now() - since) / 1000 };
        results.push(result);
        onStopped?.(result);
      }),
    );
    if (state !== undefined) state = await forget(ctx.stateDir, state, wave.map((c) => c.name));
  }
  return results;
}
