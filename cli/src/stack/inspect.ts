// `status`: each component's health, pid, ports and URL, from the state `up` left and one
// health probe each.
import type { Context } from "../context.js";
import type { Component, StackEnv } from "./component.js";
import { withInstances } from "./instances.js";
import { alive } from "./process.js";
import { createStackContext, silentProgress } from "./stack-context.js";
import { componentsFor } from "./start.js";
import { createStackEnv } from "./stack-env.js";
import { readState } from "./state.js";

export type Health = "healthy" | "unhealthy" | "stopped";

export interface ComponentStatus {
  readonly name: string;
  readonly summary: string;
  readonly health: Health;
  readonly pid?: number;
  readonly ports: readonly number[];
  readonly url?: string;
  readonly details: readonly string[];
}

export interface StackStatus {
  readonly brokers: number;
  readonly running: boolean;
  readonly components: readonly ComponentStatus[];
}

function withTimeout<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  return Promise.race([promise.catch(() => fallback), new Promise<T>((resolve) => setTimeout(() => resolve(fallback), ms).unref())]);
}

export async function stackStatus(ctx: Context): Promise<StackStatus> {
  const state = await readState(ctx.stateDir);
  const env: StackEnv = createStackEnv(state?.brokers ?? 1, { ...process.env, ...state?.portVars });
  const sc = createStackContext(ctx, env, silentProgress);
  const known = withInstances(componentsFor(env, "stack"), state?.scale ?? {});
  const one = async (c: Component): Promise<ComponentStatus> => {
    const entry = state?.components.find((r) => r.name === c.name);
    const base = { name: c.name, summary: c.summary, ports: entry?.ports ?? c.ports(env), ...(c.url ? { url: c.url(env) } : {}) };
    if (entry === undefined || !(await alive(entry.pid))) return { ...base, health: "stopped", details: [] };
    const healthy = await withTimeout(c.healthy(sc), 5_000, false);
    const details = healthy && c.describe ? await withTimeout(c.describe(sc), 5_000, ["(could not list details)"]) : [];
    return { ...base, pid: entry.pid, health: healthy ? "healthy" : "unhealthy", details };
  };
  const components = await Promise.all(known.map(one));
  return { brokers: env.brokers, running: components.some((c) => c.health !== "stopped"), components };
}
