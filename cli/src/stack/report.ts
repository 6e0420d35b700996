// How the stack commands print: the status table and a failure with its log tail and next step.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import pc from "picocolors";
import type { ComponentStatus, StackStatus } from "./inspect.js";
import { StartFailure, startMarker } from "./start.js";
import { StackError } from "./stack-error.js";

const marks = { healthy: pc.green("healthy"), unhealthy: pc.red("UNHEALTHY"), stopped: pc.dim("stopped") } as const;

export function statusLines(status: StackStatus): string[] {
  const rows = status.components.map((c: ComponentStatus) => [c.name, marks[c.health], c.pid === undefined ? "-" : String(c.pid), c.ports.join(","), c.url ?? "-"]);
  const header = ["COMPONENT", "HEALTH", "PID", "PORTS", "URL"];
  // Widths ignore colour codes, which take no room on screen.
  const visible = (s: string): number => s.replace(/\x1b\[[0-9;]*m/g, "").length;
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => visible(r[i] ?? ""))));
  const line = (cells: readonly string[]): string => cells.map((cell, i) => cell + " ".repeat(Math.max(0, (widths[i] ?? 0) - visible(cell)))).join("  ").trimEnd();
  const lines = [pc.bold(line(header)), ...rows.map(line)];
  for (const c of status.components) {
    if (c.details.length === 0) continue;
    lines.push("", `${c.name}:`, ...c.details.map((d) => `  ${d}`));
  }
  return lines;
}

/** The last `lines` lines that the latest start wrote to `file`, without stack frames (`\tat ...`), which bury the message. */
export async function logTail(file: string, lines: number): Promise<string[]> {
  if (!existsSync(file)) return [];
  const all = (await readFile(file, "utf8")).trimEnd().split("\n");
  const since = all.findLastIndex((l) => l.startsWith(startMarker));
  return all
    .slice(since + 1)
    .filter((l) => !/^\s+(at |\.\.\. \d+ more)/.test(l))
    .slice(-lines);
}

/** Prints a failure to stderr: what failed, the last lines of its log, and what to do next. */
export async function printFailure(error: unknown, root: string): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  console.error(pc.red(`\npolyglot: ${message}`));
  if (error instanceof StartFailure) {
    const tail = await logTail(error.logFile, 25);
    if (tail.length === 0) {
      console.error(pc.dim(`\n(${path.relative(root, error.logFile)} has nothing from this start)`));
    } else {
      console.error(pc.dim(`\n--- last ${tail.length} lines of ${path.relative(root, error.logFile)} ---`));
      for (const l of tail) console.error(l);
      console.error(pc.dim("---"));
    }
  }
  if (error instanceof StackError) console.error(`\nNext: ${error.hint}`);
  else console.error("\nNext: this looks like a bug in the CLI; rerun the command, and report it with the output above if it happens again.");
}
