// Builds the StackContext handed to components: paths, the env, progress and `exec`.
import path from "node:path";
import { stripVTControlCharacters } from "node:util";
import { execa } from "execa";
import type { ExecStep, Progress, StackContext, StackEnv } from "./component.js";
import type { Context } from "../context.js";
import { StackError } from "./stack-error.js";
import { logDir } from "./state.js";

const installHints: Readonly<Record<string, string>> = {
  mvn: "install Maven 3.8 or newer (Debian: apt-get install maven)",
  java: "install a JDK 17 or newer (Debian: apt-get install openjdk-17-jdk-headless), or set JAVA_HOME",
  go: "install Go (https://go.dev/doc/install) and put it on PATH",
  python3: "install Python 3.11 with venv (Debian: apt-get install python3 python3-venv)",
};

/** Keeps the last `size` lines of a command's output for its error message. */
export class Tail {
  private readonly lines: string[] = [];
  constructor(private readonly size: number) {}
  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.size) this.lines.shift();
  }
  toString(): string {
    return this.lines.join("\n");
  }
}

export async function execStep(step: ExecStep, progress: Progress): Promise<void> {
  const tail = new Tail(30);
  const child = execa(step.command, [...step.args], { cwd: step.cwd, env: { ...step.env }, all: true, reject: false, stdin: "ignore" });
  for await (const line of child.iterable({ from: "all" })) {
    const text = stripVTControlCharacters(String(line)).trim();
    if (text === "") continue;
    tail.push(text);
    progress.update(text.length > 160 ? `${text.slice(0, 157)}...` : text);
  }
  const result = await child;
  const commandLine = `${path.basename(step.command)} ${step.args.slice(0, 4).join(" ")}${step.args.length > 4 ? " ..." : ""}`;
  if (result.failed && result.exitCode === undefined) {
    const missing = (result.cause as NodeJS.ErrnoException | undefined)?.code === "ENOENT";
    const name = path.basename(step.command);
    throw new StackError(
      missing ? `${name} is not installed (or not on PATH)` : `${commandLine} could not run: ${result.shortMessage}`,
      missing ? (installHints[name] ?? `install ${name}, then run the command again`) : (step.hint ?? "read the error above, then run the command again"),
    );
  }
  if (result.exitCode !== 0) {
    throw new StackError(`${commandLine} failed (exit ${result.exitCode}); its last lines:\n${tail.toString()}`, step.hint ?? "read its output above, then run the command again");
  }
}

/** Progress that CI sees as plain lines, at most one every 2 s, instead of a rewritten line. */
export function throttled(progress: Progress, everyMs: number): Progress {
  let last = 0;
  return {
    update(message) {
      const now = Date.now();
      if (now - last < everyMs) return;
      last = now;
      progress.update(message);
    },
  };
}

export function createStackContext(ctx: Context, env: StackEnv, progress: Progress): StackContext {
  return {
    root: ctx.root,
    stateDir: ctx.stateDir,
    ci: ctx.ci,
    env,
    progress,
    dataDir: (component) => path.join(ctx.stateDir, "data", component),
    logFile: (component) => path.join(logDir(ctx.stateDir), `${component}.log`),
    exec: (step) => execStep(step, progress),
  };
}

export const silentProgress: Progress = { update() {} };
