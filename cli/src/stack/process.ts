// Starting a component as a detached process group with its output in a log file, and stopping
// a process group: SIGTERM, a bounded wait, then SIGKILL.
import { spawn } from "node:child_process";
import { accessSync, constants, openSync, closeSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { ProcessSpec } from "./component.js";

export interface Started {
  readonly pid: number;
  /** Resolves with the exit code (or signal) if the process ends while this CLI runs. */
  readonly exited: Promise<string>;
}

/** True when `command` names an executable file, itself (with a slash, from `cwd`) or on `searchPath`. */
export function onPath(command: string, searchPath: string, cwd: string): boolean {
  const candidates = command.includes("/") ? [path.resolve(cwd, command)] : searchPath.split(path.delimiter).filter((d) => d !== "").map((d) => path.join(d, command));
  return candidates.some((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * Spawns `spec` in its own process group (detached), stdout and stderr appended to `logFile`.
 * With `logWriter` (log-writer.ts) the component runs under it, so its log is rotated by size;
 * it execs the component, which keeps the pid this returns.
 */
export function startDetached(spec: ProcessSpec, logFile: string, logWriter?: string): Promise<Started> {
  const env = { ...process.env, ...spec.env };
  if (logWriter !== undefined && !onPath(spec.command, env.PATH ?? "", spec.cwd)) {
    // What spawn itself says of a missing command, which the writer could only tell by its exit code.
    return Promise.reject(Object.assign(new Error(`spawn ${spec.command} ENOENT`), { code: "ENOENT" }));
  }
  const [command, args] = logWriter === undefined ? [spec.command, spec.args] : [logWriter, [logFile, "--", spec.command, ...spec.args]];
  const fd = openSync(logFile, "a");
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      cwd: spec.cwd,
      env,
      detached: true,
      stdio: ["ignore", fd, fd],
    });
    const exited = new Promise<string>((done) => {
      child.once("exit", (code, signal) => done(signal === null ? `exited with code ${code}` : `was killed by ${signal}`));
    });
    child.once("error", (error) => {
      closeSync(fd);
      reject(error);
    });
    child.once("spawn", () => {
      closeSync(fd);
      child.unref();
      if (child.pid === undefined) reject(new Error(`${spec.command} started without a pid`));
      else resolve({ pid: child.pid, exited });
    });
  });
}

/** True when a process with this pid exists and is not a zombie. */
export async function alive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    // Field 3, after the parenthesised command name, is the state; Z is a zombie.
    return !/\)\s+Z\s/.test(stat);
  } catch {
    return true;
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return condition();
}

/** Stops the process group led by `pgid`. Returns how it ended: "stopped" (SIGTERM), "killed" (SIGKILL) or "not running". */
export async function stopGroup(pgid: number, timeoutMs: number): Promise<"stopped" | "killed" | "not running"> {
  if (!groupAlive(pgid)) return "not running";
  try {
    process.kill(-pgid, "SIGTERM");
  } catch {
    return "not running";
  }
  if (await waitUntil(() => !groupAlive(pgid), timeoutMs)) return "stopped";
  try {
    process.kill(-pgid, "SIGKILL");
  } catch {
    return "stopped";
  }
  await waitUntil(() => !groupAlive(pgid), 5_000);
  return "killed";
}
