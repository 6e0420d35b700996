// Builds and runs the consumers' contract probes, and keeps every line each one printed.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { isDeepStrictEqual } from "node:util";
import type { JsonValue } from "@bufbuild/protobuf";
import pWaitFor, { TimeoutError } from "p-wait-for";
import type { ConsumerContract, ProbeCommand, ProbeLine } from "./consumer-contract.js";

const run = promisify(execFile);

async function build(root: string, step: ProbeCommand): Promise<void> {
  try {
    await run(step.command, [...step.args], { cwd: path.join(root, step.cwd), env: { ...process.env, ...step.env }, timeout: 300_000, maxBuffer: 64 << 20 });
  } catch (error: unknown) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`build step '${step.command} ${step.args.join(" ")}' in ${step.cwd} failed: ${e.message}\n${e.stdout ?? ""}${e.stderr ?? ""}`);
  }
}

/** One running probe: its consumer group and what it printed so far. */
export class RunningProbe {
  readonly lines: ProbeLine[] = [];
  /** stdout lines that were not a probe line: the probe broke its own contract. */
  readonly strayLines: string[] = [];
  private stderrTail = "";
  private exit: string | undefined;

  constructor(
    readonly consumer: ConsumerContract,
    readonly group: string,
    private readonly child: ChildProcess,
  ) {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      try {
        const parsed = JSON.parse(line) as ProbeLine;
        if (typeof parsed.type === "string" && "view" in parsed) this.lines.push(parsed);
        else this.strayLines.push(line);
      } catch {
        this.strayLines.push(line);
      }
    });
    child.stderr!.on("data", (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString("utf8")).slice(-4000);
    });
    child.on("exit", (code, signal) => {
      this.exit = `exited with ${code ?? signal}`;
    });
  }

  /** Why the probe can no longer print anything, or undefined while it runs. */
  get ended(): string | undefined {
    return this.exit === undefined ? undefined : `${this.consumer.service} probe ${this.exit}; its stderr ends with:\n${this.stderrTail}`;
  }

  has(type: string, view: JsonValue): boolean {
    return this.lines.some((l) => l.type === type && isDeepStrictEqual(l.view, view));
  }

  /** Waits until the probe printed {type, view}; false after `timeoutMs`. Throws when the probe died. */
  async waitFor(type: string, view: JsonValue, timeoutMs: number): Promise<boolean> {
    try {
      await pWaitFor(
        () => {
          if (this.has(type, view)) return true;
          if (this.ended !== undefined) throw new Error(this.ended);
          return false;
        },
        { interval: 100, timeout: timeoutMs },
      );
      return true;
    } catch (error: unknown) {
      if (error instanceof TimeoutError) return false;
      throw error;
    }
  }

  /** SIGTERM, then waits for the exit; the probe must exit 0. */
  async stop(timeoutMs = 20_000): Promise<string> {
    if (this.exit !== undefined) return this.exit;
    const exited = new Promise<string>((resolve) => this.child.once("exit", (code, signal) => resolve(`exited with ${code ?? signal}`)));
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), timeoutMs);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Runs the consumer's build steps, then starts its probe in a consumer group of its own. */
export async function startProbe(root: string, consumer: ConsumerContract, bootstrap: string): Promise<RunningProbe> {
  for (const step of consumer.build) await build(root, step);
  const group = `contract-${consumer.service}-${randomUUID()}`;
  const command = consumer.probe(root, bootstrap, group);
  const child = spawn(command.command, [...command.args], {
    cwd: path.join(root, command.cwd),
    env: { ...process.env, ...command.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  await new Promise<void>((resolve, reject) => {
    child.once("spawn", resolve);
    child.once("error", (e) => reject(new Error(`could not start the ${consumer.service} probe (${command.command}): ${e.message}`)));
  });
  return new RunningProbe(consumer, group, child);
}
