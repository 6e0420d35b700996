// What a running stack left on disk: .polyglot/run/stack.json (broker count, port overrides,
// each component's pid, ports and URL) and one .polyglot/run/<name>.pid per process.
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Scale } from "./instances.js";
import type { BrokerCount } from "./stack-env.js";

export interface RunningComponent {
  readonly name: string;
  readonly summary: string;
  readonly pid: number;
  readonly ports: readonly number[];
  readonly url?: string;
  readonly startedAt: string;
}

export interface StackState {
  readonly brokers: BrokerCount;
  /** The `*_PORT` variables (and POLYGLOT_DATABASE) `up` ran with, so `status` and a later `up` resolve the same ports and database. */
  readonly portVars: Readonly<Record<string, string>>;
  /** Instances per scalable service (`up --scale`), kept until the whole stack is down; absent means 1 each. */
  readonly scale?: Scale;
  readonly components: readonly RunningComponent[];
}

export function runDir(stateDir: string): string {
  return path.join(stateDir, "run");
}

export function logDir(stateDir: string): string {
  return path.join(stateDir, "logs");
}

export function pidFile(stateDir: string, name: string): string {
  return path.join(runDir(stateDir), `${name}.pid`);
}

function stateFile(stateDir: string): string {
  return path.join(runDir(stateDir), "stack.json");
}

/** Only `*_PORT` variables and POLYGLOT_DATABASE (`up --postgres`) are kept: the rest of the environment may hold secrets. */
export function portVarsOf(vars: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(Object.entries(vars).filter((e): e is [string, string] => /^([A-Z0-9_]+_PORT|POLYGLOT_DATABASE)$/.test(e[0]) && e[1] !== undefined));
}

export async function readState(stateDir: string): Promise<StackState | undefined> {
  const file = stateFile(stateDir);
  if (!existsSync(file)) return undefined;
  return JSON.parse(await readFile(file, "utf8")) as StackState;
}

export async function writeState(stateDir: string, state: StackState): Promise<void> {
  await mkdir(runDir(stateDir), { recursive: true });
  await writeFile(stateFile(stateDir), `${JSON.stringify(state, null, 2)}\n`);
  for (const c of state.components) await writeFile(pidFile(stateDir, c.name), `${c.pid}\n`);
}

/** Records that a component stopped: its pid file goes, and the state file when nothing is left. */
export async function forget(stateDir: string, state: StackState, names: readonly string[]): Promise<StackState> {
  for (const name of names) await rm(pidFile(stateDir, name), { force: true });
  const left: StackState = { ...state, components: state.components.filter((c) => !names.includes(c.name)) };
  if (left.components.length === 0) await rm(stateFile(stateDir), { force: true });
  else await writeState(stateDir, left);
  return left;
}
