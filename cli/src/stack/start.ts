// `up`: prepares every component that is not running (side by side), then starts each one as
// soon as the components it waits for are healthy and ready (not wave by wave: a slow trace
// backend no longer holds back the services that do not need it), each waited on with a
// bounded health timeout. A failure stops what
// this run started and names the component, its log and what to do next.
import { appendFile, mkdir } from "node:fs/promises";
import { Listr, type ListrTask } from "listr2";
import type { Component, Progress, StackContext, StackEnv } from "./component.js";
import { brokerComponents, stackComponents } from "./components/index.js";
import type { Context } from "../context.js";
import { checkScale, normalScale, withInstances, type Scale } from "./instances.js";
import { ensureLogWriter, logWriterBinary } from "./log-writer.js";
import { startDependencies, startWaves, withDependencies } from "./plan.js";
import { describeTakenPort, portFree } from "./ports.js";
import { alive, startDetached, stopGroup } from "./process.js";
import { createStackContext, throttled } from "./stack-context.js";
import { createStackEnv, type BrokerCount } from "./stack-env.js";
import { StackError } from "./stack-error.js";
import { forget, logDir, portVarsOf, readState, writeState, type RunningComponent, type StackState } from "./state.js";

export interface StartOptions {
  readonly brokers: BrokerCount;
  /** The environment to resolve ports from (process.env for `up`). */
  readonly vars: Readonly<Record<string, string | undefined>>;
  /** `stack` (default): every component; `broker`: only the broker(s). */
  readonly scope?: "stack" | "broker";
  /** Only these components (with their instances) and what they depend on. */
  readonly only?: readonly string[];
  /** Instances per scalable service (`--scale`); merged into what a running stack was started with. */
  readonly scale?: Scale;
  /** Components to use instead of the registry's (unit tests start fakes this way). */
  readonly components?: (env: StackEnv) => readonly Component[];
}

export type StartOutcome =
  | { readonly kind: "already-up"; readonly env: StackEnv; readonly running: readonly string[] }
  | { readonly kind: "started"; readonly env: StackEnv; readonly started: readonly string[]; readonly seconds: number };

/** A component that did not come up: the command prints the tail of `logFile`. */
export class StartFailure extends StackError {
  constructor(
    readonly component: string,
    message: string,
    readonly logFile: string,
    hint = `read ./polyglot logs ${component} (its last lines are above), fix the cause, then run ./polyglot up again`,
  ) {
    super(message, hint);
  }
}

const defaultStartTimeoutMs = 60_000;
/** Written to the log before each start, so a failure shows only what this start logged. */
export const startMarker = "==== ./polyglot up: starting";
const defaultStopTimeoutMs = 15_000;

export function componentsFor(env: StackEnv, scope: "stack" | "broker"): readonly Component[] {
  return scope === "broker" ? brokerComponents(env) : stackComponents(env);
}

/** The components of `state` whose process is still there. */
export async function aliveComponents(state: StackState | undefined): Promise<RunningComponent[]> {
  if (state === undefined) return [];
  const flags = await Promise.all(state.components.map((c) => alive(c.pid)));
  return state.components.filter((_, i) => flags[i]);
}

async function checkPorts(components: readonly Component[], env: StackEnv): Promise<void> {
  const taken: string[] = [];
  const owners = new Map<number, string>();
  for (const c of components) {
    for (const port of c.ports(env)) {
      const owner = owners.get(port);
      if (owner !== undefined) taken.push(`${c.name}: port ${port} is also given to ${owner === c.name ? "another of its own listeners" : owner}`);
      owners.set(port, c.name);
      if (!(await portFree(port))) taken.push(`${c.name}: ${await describeTakenPort(port)}`);
    }
  }
  if (taken.length > 0) {
    throw new StackError(
      `cannot start, a port is in use:\n  ${taken.join("\n  ")}`,
      "stop that process (./polyglot down if it is an earlier stack of this repository), or move the component with its *_PORT variable (see README.md), then run ./polyglot up again",
    );
  }
}

export async function startStack(ctx: Context, options: StartOptions): Promise<StartOutcome> {
  const began = performance.now();
  let state = await readState(ctx.stateDir);
  const running = await aliveComponents(state);
  if (state !== undefined && running.length === 0) {
    // Left by a stack that died (a reboot, a kill -9): nothing of it runs, so start afresh.
    state = await forget(ctx.stateDir, state, state.components.map((c) => c.name));
    state = undefined;
  }
  if (state !== undefined && state.brokers !== options.brokers) {
    throw new StackError(
      `the stack is running with ${state.brokers} broker${state.brokers === 1 ? "" : "s"} (${running.map((c) => c.name).join(", ")})`,
      `run ./polyglot down first, then ./polyglot up --brokers ${options.brokers}`,
    );
  }
  // A running stack keeps the ports it was started with.
  const vars = state === undefined ? options.vars : { ...options.vars, ...state.portVars };
  const env = createStackEnv(options.brokers, vars);
  const registered = options.components?.(env) ?? componentsFor(env, options.scope ?? "stack");
  if (options.scale !== undefined) checkScale(registered, options.scale);
  const scale = normalScale({ ...state?.scale, ...options.scale });
  const all = withInstances(registered, scale);
  refuseSurplus(registered, all, running);
  const only = options.only === undefined ? undefined : [...options.only, ...all.filter((c) => c.instanceOf !== undefined && options.only?.includes(c.instanceOf)).map((c) => c.name)];
  const chosen = only === undefined ? [...all] : withDependencies(all, only);
  // Checks the dependencies (unknown names, cycles); the start itself follows each component's own.
  startWaves(chosen);
  const runningNames = new Set(running.map((c) => c.name));
  const toStart = chosen.filter((c) => !runningNames.has(c.name));
  if (toStart.length === 0) {
    if (state !== undefined && JSON.stringify(state.scale ?? {}) !== JSON.stringify(scale)) await writeState(ctx.stateDir, { ...state, scale });
    return { kind: "already-up", env, running: chosen.map((c) => c.name) };
  }

  await checkPorts(toStart, env);
  await mkdir(logDir(ctx.stateDir), { recursive: true });

  let current: StackState = { brokers: options.brokers, portVars: portVarsOf(vars), scale, components: running };
  let writes = Promise.resolve();
  const record = (c: RunningComponent): Promise<void> => {
    current = { ...current, components: [...current.components, c] };
    const snapshot = current;
    writes = writes.then(() => writeState(ctx.stateDir, snapshot));
    return writes;
  };
  const started: RunningComponent[] = [];
  let aborted = false;
  // The stack's own components run under the log writer; the fakes of unit tests run bare.
  const logWriter = options.components === undefined ? logWriterBinary(ctx.root) : undefined;

  // Without a live terminal each update is a printed line: keep those to one every 2 s.
  const plainOutput = ctx.ci || process.stdout.isTTY !== true;
  const stackContext = (progress: Progress): StackContext => createStackContext(ctx, env, plainOutput ? throttled(progress, 2_000) : progress);

  const startOne = async (c: Component, sc: StackContext): Promise<string> => {
    await mkdir(sc.dataDir(c.name), { recursive: true });
    const logFile = sc.logFile(c.name);
    const spec = c.process(sc);
    if (aborted) throw new StackError(`${c.name} not started: another component failed`, "see the failure below");
    await appendFile(logFile, `\n${startMarker} ${c.name} at ${new Date().toISOString()} ====\n`);
    let proc;
    try {
      proc = await startDetached(spec, logFile, logWriter);
    } catch (error: unknown) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") {
        throw new StartFailure(c.name, `${c.name}: ${spec.command} is not installed (or not on PATH)`, logFile, `install it or fix the path (JAVA_HOME for the broker), then run ./polyglot up again`);
      }
      throw new StartFailure(c.name, `${c.name} could not start: ${String(error)}`, logFile);
    }
    const entry: RunningComponent = { name: c.name, summary: c.summary, pid: proc.pid, ports: c.ports(env), ...(c.url ? { url: c.url(env) } : {}), startedAt: new Date().toISOString() };
    started.push(entry);
    await record(entry);
    const since = performance.now();
    await waitHealthy(c, sc, proc.pid, proc.exited);
    return `${c.name}: healthy, pid ${proc.pid} (${((performance.now() - since) / 1000).toFixed(1)} s)`;
  };

  /** Polls health until the timeout; fails early when the process ends (`exited`) or another component failed. */
  const waitHealthy = async (c: Component, sc: StackContext, pid: number, exited?: Promise<string>): Promise<void> => {
    const logFile = sc.logFile(c.name);
    let exitedWith: string | undefined;
    void exited?.then((how) => {
      exitedWith = how;
    });
    const timeoutMs = c.startTimeoutMs ?? defaultStartTimeoutMs;
    sc.progress.update(`pid ${pid}, waiting until healthy (at most ${timeoutMs / 1000} s)`);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (exitedWith !== undefined) throw new StartFailure(c.name, `${c.name} ${exitedWith} while starting`, logFile);
      if (aborted) throw new StackError(`${c.name} abandoned: another component failed`, "see the failure below");
      if (await c.healthy(sc)) break;
      if (Date.now() > deadline) throw new StartFailure(c.name, `${c.name} did not become healthy within ${timeoutMs / 1000} s`, logFile);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    if (c.ready) {
      try {
        await c.ready(sc);
      } catch (error: unknown) {
        throw new StartFailure(c.name, `${c.name} is up but its ready step failed: ${error instanceof Error ? error.message : String(error)}`, logFile);
      }
    }
  };

  // A component already running may wait on one being started beside it (3 brokers form one quorum).
  const checkRunning = async (c: Component, sc: StackContext): Promise<string> => {
    const pid = running.find((r) => r.name === c.name)?.pid ?? 0;
    await waitHealthy(c, sc, pid);
    return `${c.name}: already running, pid ${pid}`;
  };

  // Every task in flight, so a failure waits for them to settle before it stops what they started.
  const inflight = new Set<Promise<unknown>>();
  const track = <T>(promise: Promise<T>): Promise<T> => {
    inflight.add(promise);
    void promise.then(
      () => inflight.delete(promise),
      () => inflight.delete(promise),
    );
    return promise;
  };

  // Instances share their service's build: prepare each service once.
  const preparable = toStart.filter((c, i) => c.prepare !== undefined && toStart.findIndex((o) => (o.instanceOf ?? o.name) === (c.instanceOf ?? c.name)) === i);
  const withLogWriter = logWriter !== undefined;
  const tasks: ListrTask[] = [];
  if (preparable.length > 0 || withLogWriter) {
    const logWriterTask: ListrTask = {
      title: "log writer",
      task: async (_c, t) => {
        await track(ensureLogWriter(stackContext({ update: (m) => (t.output = m) })));
        t.title = "log writer: ready";
      },
    };
    tasks.push({
      title: `Prepare ${[...(withLogWriter ? ["the log writer"] : []), ...preparable.map((c) => c.instanceOf ?? c.name)].join(", ")}`,
      task: (_, task) =>
        task.newListr(
          [...(withLogWriter ? [logWriterTask] : []), ...preparable.map((c): ListrTask => ({
            title: c.instanceOf ?? c.name,
            task: async (_c, t) => {
              const since = performance.now();
              await track(c.prepare?.(stackContext({ update: (m) => (t.output = m) })) ?? Promise.resolve());
              t.title = `${c.instanceOf ?? c.name}: ready to start (${((performance.now() - since) / 1000).toFixed(1)} s)`;
            },
          }))],
          { concurrent: true, exitOnError: true },
        ),
    });
  }
  // One entry per component, settled once it is up (healthy and ready) or has failed.
  const up = new Map(chosen.map((c) => [c.name, settlement()]));
  for (const { promise } of up.values()) promise.catch(() => undefined);
  const startWhenReady = async (c: Component, sc: StackContext): Promise<string> => {
    const waitFor = startDependencies(c).filter((d) => up.has(d));
    if (waitFor.length > 0) {
      sc.progress.update(`waiting for ${waitFor.join(", ")}`);
      try {
        await Promise.all(waitFor.map((d) => up.get(d)?.promise));
      } catch {
        throw new StackError(`${c.name} not started: ${waitFor.join(" or ")} did not come up`, "see the failure below");
      }
    }
    return runningNames.has(c.name) ? checkRunning(c, sc) : startOne(c, sc);
  };
  tasks.push({
    title: `Start ${chosen.map((c) => c.name).join(", ")}`,
    task: (_, task) =>
      task.newListr(
        chosen.map((c) => ({
          title: c.name,
          task: async (_c, t) => {
            const sc = stackContext({ update: (m) => (t.output = m) });
            const entry = up.get(c.name);
            try {
              t.title = await track(startWhenReady(c, sc));
              entry?.resolve();
            } catch (error: unknown) {
              entry?.reject(error);
              throw error;
            }
          },
        })),
        { concurrent: true, exitOnError: true },
      ),
  });

  const list = new Listr(tasks, {
    concurrent: false,
    exitOnError: true,
    registerSignalListeners: false,
    fallbackRendererCondition: ctx.ci,
    rendererOptions: { collapseSubtasks: false },
  });
  try {
    await list.run();
  } catch (error: unknown) {
    aborted = true;
    await Promise.allSettled([...inflight]);
    await writes;
    await stopStarted(ctx.stateDir, started, chosen);
    throw error;
  }
  await writes;
  const order = chosen.map((c) => c.name);
  const names = started.map((c) => c.name).sort((a, b) => order.indexOf(a) - order.indexOf(b));
  return { kind: "started", env, started: names, seconds: (performance.now() - began) / 1000 };
}

/** A scale lower than what runs is refused: the surplus instances are named, to be stopped with `down`. */
function refuseSurplus(registered: readonly Component[], all: readonly Component[], running: readonly RunningComponent[]): void {
  const wanted = new Set(all.map((c) => c.name));
  const scalable = registered.filter((c) => c.scalable === true).map((c) => c.name);
  const surplus = running.filter((r) => !wanted.has(r.name) && scalable.some((base) => new RegExp(`^${base}-\\d+$`).test(r.name)));
  if (surplus.length > 0) {
    const names = surplus.map((r) => r.name).join(" ");
    throw new StackError(`${names.replace(/ /g, ", ")} ${surplus.length === 1 ? "is" : "are"} running, more instances than --scale asks for`, `stop ${surplus.length === 1 ? "it" : "them"} first: ./polyglot down ${names}`);
  }
}

/** Stops what a failed `up` started, newest first, so nothing is left half up. */
async function stopStarted(stateDir: string, started: readonly RunningComponent[], components: readonly Component[]): Promise<void> {
  const timeouts = new Map(components.map((c) => [c.name, c.stopTimeoutMs ?? defaultStopTimeoutMs]));
  await Promise.all([...started].reverse().map((c) => stopGroup(c.pid, timeouts.get(c.name) ?? defaultStopTimeoutMs)));
  const state = await readState(stateDir);
  if (state !== undefined) await forget(stateDir, state, started.map((c) => c.name));
}

interface Settlement {
  readonly promise: Promise<void>;
  resolve(): void;
  reject(reason: unknown): void;
}

/** A promise with its resolve and reject at hand (Promise.withResolvers, which Node 20 lacks). */
function settlement(): Settlement {
  let resolve = (): void => undefined;
  let reject = (_reason: unknown): void => undefined;
  const promise = new Promise<void>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}
