// `chaos kill` and `chaos broker-pause`: signals to the process groups of a running stack.
// A killed component stays in the stack's state as a dead pid, so `status` shows it stopped
// and `./polyglot up` starts it again, as after a crash.
import type { Context } from "../context.js";
import { withInstances } from "../stack/instances.js";
import { alive } from "../stack/process.js";
import { componentsFor } from "../stack/start.js";
import { createStackEnv } from "../stack/stack-env.js";
import { StackError } from "../stack/stack-error.js";
import { readState, type RunningComponent } from "../stack/state.js";

export type KillSignal = "SIGTERM" | "SIGKILL";

export interface Killed {
  readonly name: string;
  readonly pid: number;
  readonly signal: KillSignal;
  /** The wall clock (ms since the epoch) when the signal was sent. */
  readonly signalledAtMs: number;
  /** True when the whole process group was gone within the wait. */
  readonly gone: boolean;
  readonly seconds: number;
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitGone(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!groupAlive(pgid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return !groupAlive(pgid);
}

/** The components of the stack whose process runs now. */
export async function runningComponents(ctx: Context): Promise<RunningComponent[]> {
  const state = await readState(ctx.stateDir);
  const entries = state?.components ?? [];
  const flags = await Promise.all(entries.map((c) => alive(c.pid)));
  return entries.filter((_, i) => flags[i]);
}

async function stopTimeoutOf(ctx: Context, name: string): Promise<number> {
  const state = await readState(ctx.stateDir);
  const env = createStackEnv(state?.brokers ?? 1, { ...process.env, ...state?.portVars });
  return withInstances(componentsFor(env, "stack"), state?.scale ?? {}).find((c) => c.name === name)?.stopTimeoutMs ?? 15_000;
}

/** Sends `signal` to the process group of the running component `name` and waits (bounded) until it is gone. */
export async function killComponent(ctx: Context, name: string, signal: KillSignal): Promise<Killed> {
  const running = await runningComponents(ctx);
  const target = running.find((c) => c.name === name);
  if (target === undefined) {
    throw new StackError(`${name} is not running`, `running now: ${running.map((c) => c.name).join(", ") || "nothing (./polyglot up starts the stack)"}`);
  }
  const since = performance.now();
  const signalledAtMs = Date.now();
  process.kill(-target.pid, signal);
  const gone = await waitGone(target.pid, signal === "SIGKILL" ? 5_000 : await stopTimeoutOf(ctx, name));
  return { name, pid: target.pid, signal, signalledAtMs, gone, seconds: (performance.now() - since) / 1000 };
}

/** The running brokers (`kafka`, `kafka-2`, `kafka-3`), or the named ones. */
export async function runningBrokers(ctx: Context, names: readonly string[] = []): Promise<RunningComponent[]> {
  const running = (await runningComponents(ctx)).filter((c) => /^kafka(-\d+)?$/.test(c.name));
  const unknown = names.filter((n) => !running.some((c) => c.name === n));
  if (running.length === 0 || unknown.length > 0) {
    throw new StackError(`${unknown.length > 0 ? `not a running broker: ${unknown.join(", ")}` : "no broker is running"}`, `running brokers: ${running.map((c) => c.name).join(", ") || "none (./polyglot up starts the stack)"}`);
  }
  return names.length === 0 ? running : running.filter((c) => names.includes(c.name));
}

/**
 * Freezes the brokers' process groups (SIGSTOP) for `seconds`, then lets them go on (SIGCONT).
 * A frozen broker keeps its sockets open but answers nothing, the way a stalled machine does.
 * They are resumed even when `abort` fires first (Ctrl-C).
 */
export async function pauseBrokers(brokers: readonly RunningComponent[], seconds: number, abort: AbortSignal, onEvent: (line: string) => void): Promise<void> {
  for (const b of brokers) process.kill(-b.pid, "SIGSTOP");
  onEvent(`paused ${brokers.map((b) => `${b.name} (pid ${b.pid})`).join(", ")} with SIGSTOP for ${seconds} s`);
  try {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, seconds * 1000);
      abort.addEventListener("abort", () => {
        clearTimeout(timer);
        resolve();
      }, { once: true });
    });
  } finally {
    for (const b of brokers) {
      try {
        process.kill(-b.pid, "SIGCONT");
      } catch {
        // Gone meanwhile: nothing to resume.
      }
    }
    onEvent(`resumed ${brokers.map((b) => b.name).join(", ")} with SIGCONT${abort.aborted ? " (interrupted early)" : ""}`);
  }
}
