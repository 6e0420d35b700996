// The faults of the burst suites, done with the CLI's own stack and chaos modules (the same code
// as `./polyglot chaos kill`, `./polyglot down NAME` and `./polyglot up`), against the stack that
// `./polyglot test` provides (POLYGLOT_STATE_DIR and the *_PORT variables of the environment).
import { createContext, type Context } from "../../../cli/src/context.js";
import { killComponent, type KillSignal, type Killed } from "../../../cli/src/chaos/signals.js";
import { componentsFor, startStack } from "../../../cli/src/stack/start.js";
import { brokerPorts, createStackEnv, type BrokerCount } from "../../../cli/src/stack/stack-env.js";
import { readState } from "../../../cli/src/stack/state.js";
import { stopStack, type Stopped } from "../../../cli/src/stack/stop.js";
import { demoUrls } from "../../../cli/src/demo/urls.js";
import { instanceName, instanceUrl as componentInstanceUrl } from "../../../cli/src/stack/instances.js";
import { httpOk } from "../../../cli/src/stack/probes.js";
import { createAdmin } from "../../../cli/src/stack/kafka/topics.js";
import { serviceTopics } from "./chain-check.js";

export const ctx: Context = createContext(process.env);

async function brokers(): Promise<BrokerCount> {
  const state = await readState(ctx.stateDir);
  if (state === undefined) throw new Error(`no stack state in ${ctx.stateDir}: run these tests with ./polyglot test, which starts the stack`);
  return state.brokers;
}

function log(line: string): void {
  console.log(`${new Date().toISOString()} ${line}`);
}

/** SIGTERM or SIGKILL to a component's process group, waiting (bounded) until it is gone. */
export async function kill(name: string, signal: KillSignal): Promise<Killed> {
  const killed = await killComponent(ctx, name, signal);
  log(`${signal} ${name} (pid ${killed.pid}): ${killed.gone ? "gone" : "STILL RUNNING"} after ${killed.seconds.toFixed(1)} s`);
  if (!killed.gone) throw new Error(`${name} still runs ${killed.seconds.toFixed(1)} s after ${signal}`);
  return killed;
}

/** Starts the named components again with the stack runner (waiting for health), as `./polyglot up` does. */
export async function start(names: readonly string[]): Promise<number> {
  const since = performance.now();
  await startStack(ctx, { brokers: await brokers(), vars: process.env, only: names });
  const seconds = (performance.now() - since) / 1000;
  log(`started ${names.join(", ")} again, healthy after ${seconds.toFixed(1)} s`);
  return seconds;
}

/** Stops components cleanly (SIGTERM, bounded wait, then SIGKILL), as `./polyglot down NAME` does. */
export async function stop(names: readonly string[]): Promise<Stopped[]> {
  const stopped = await stopStack(ctx, names);
  for (const s of stopped) log(`stopped ${s.name} (pid ${s.pid}): ${s.how} after ${s.seconds.toFixed(1)} s`);
  return stopped;
}

/** The stack's environment as the runner sees it (its remembered ports first). */
export async function stackEnv(): Promise<ReturnType<typeof createStackEnv>> {
  const state = await readState(ctx.stateDir);
  return createStackEnv(state?.brokers ?? 1, { ...process.env, ...state?.portVars });
}

/** The services' URLs of the running stack. */
export async function serviceUrls(): Promise<ReturnType<typeof demoUrls>> {
  return demoUrls(await stackEnv());
}

/** The components that may run as several instances (`scalable: true`). */
export async function scalableServices(): Promise<string[]> {
  return componentsFor(await stackEnv(), "stack")
    .filter((c) => c.scalable === true)
    .map((c) => c.name);
}

/** Runs `count` instances of each named service (`up --scale NAME=count`), starting the missing ones. */
export async function scaleTo(scale: Readonly<Record<string, number>>): Promise<void> {
  const since = performance.now();
  await startStack(ctx, { brokers: await brokers(), vars: process.env, scale, only: Object.keys(scale) });
  log(`scaled to ${Object.entries(scale).map(([n, c]) => `${n}=${c}`).join(",")} in ${((performance.now() - since) / 1000).toFixed(1)} s`);
}

/** The base URL of instance `index` of a service, as the stack runner started it (the component's own port rules). */
export async function instanceUrl(service: string, index: number): Promise<string> {
  const env = await stackEnv();
  const url = new URL(componentInstanceUrl(componentsFor(env, "stack"), env, service, index)).origin;
  // The runner recorded the URL it started the instance on: the two must agree.
  const name = instanceName(service, index);
  const recorded = (await readState(ctx.stateDir))?.components.find((c) => c.name === name)?.url;
  if (recorded !== undefined && new URL(recorded).origin !== url) {
    throw new Error(`${name}: the stack in ${ctx.stateDir} runs it at ${recorded}, but its URL from the components and the environment is ${url}`);
  }
  return url;
}

/**
 * Fails within `withinMs` unless every URL answers GET /health with 2xx: a URL the stack does not
 * serve (a wrong port) would otherwise only show as transport errors retried for minutes.
 */
export async function expectAnswering(what: string, urls: readonly string[], withinMs = 15_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  const silent = new Set(urls);
  while (silent.size > 0 && Date.now() < deadline) {
    for (const url of [...silent]) if (await httpOk(`${url}/health`, 2_000)) silent.delete(url);
    if (silent.size > 0) await new Promise((resolve) => setTimeout(resolve, 300));
  }
  if (silent.size > 0) {
    const state = await readState(ctx.stateDir);
    const running = (state?.components ?? []).map((c) => `${c.name} ${c.url ?? "(no URL)"}`).join(", ");
    throw new Error(`${what}: no answer from GET /health at ${[...silent].join(", ")} within ${withinMs / 1000} s; the stack in ${ctx.stateDir} runs: ${running || "nothing"}`);
  }
}

export { instanceName };

/** The broker component (kafka, kafka-2, kafka-3) that leads the most partitions of the service topics now. */
export async function busiestBroker(bootstrap: readonly string[]): Promise<string> {
  const admin = createAdmin(bootstrap.join(","), "e2e-faults");
  try {
    const metadata = await admin.metadata({ topics: [...serviceTopics], forceUpdate: true });
    const leads = new Map<number, number>();
    for (const t of metadata.topics.values()) for (const p of t.partitions) leads.set(p.leader, (leads.get(p.leader) ?? 0) + 1);
    const [node] = [...leads.entries()].sort((a, b) => b[1] - a[1])[0] ?? [1];
    const broker = brokerPorts.find((b) => b.node === node);
    if (broker === undefined) throw new Error(`partition leader ${node} is not a broker of the stack`);
    return broker.name;
  } finally {
    await admin.close();
  }
}
