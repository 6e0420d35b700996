// `./polyglot logs -f`: follows every component's log at once, one tail(1) per file, each line
// prefixed with its component in its service's colour. A log file that appears later (a
// component started meanwhile) is picked up from its first line.
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import { execa } from "execa";
import { parseRotatedName } from "../stack/log-writer.js";
import type { LogLine } from "./log-line.js";
import { createPicker, type LogSource, type MergedLine } from "./merge.js";

export interface FollowOptions {
  readonly dir: string;
  /** Lines shown from each file that exists at the start (`tail -n`). */
  readonly lines: number;
  /** Only these components (all when empty). */
  readonly components: readonly string[];
  readonly keep: (line: LogLine) => boolean;
  readonly print: (line: MergedLine) => void;
  /** Stops following when aborted. */
  readonly signal: AbortSignal;
  /** How often the folder is looked at for new log files. */
  readonly rescanMs?: number;
}

/** Each component's log in `dir` (or only `components`'), with its rotated files oldest first. */
export async function logSources(dir: string, components: readonly string[] = []): Promise<LogSource[]> {
  if (!existsSync(dir)) return [];
  const files = (await readdir(dir)).filter((f) => f.endsWith(".log")).sort();
  const rotated = new Map<string, string[]>();
  for (const f of files) {
    const r = parseRotatedName(f);
    // Time stamps sort as text, so the files come oldest first.
    if (r !== undefined) rotated.set(r.component, [...(rotated.get(r.component) ?? []), path.join(dir, f)]);
  }
  return files
    .filter((f) => parseRotatedName(f) === undefined)
    .map((f) => ({ component: f.slice(0, -4), file: path.join(dir, f), rotated: rotated.get(f.slice(0, -4)) ?? [] }))
    .filter((s) => components.length === 0 || components.includes(s.component))
    .sort((a, b) => a.component.localeCompare(b.component));
}

/** Follows until `signal` aborts; resolves then, after every tail has ended. */
export async function followLogs(options: FollowOptions): Promise<void> {
  const tails = new Map<string, Promise<unknown>>();
  let source = 0;
  const start = (s: LogSource, fromLine: string): void => {
    // tail -F follows the name, so a log that is truncated or replaced keeps being followed.
    const child = execa("tail", ["-F", "-n", fromLine, s.file], { buffer: false, reject: false, stdin: "ignore", stderr: "ignore", cancelSignal: options.signal });
    tails.set(s.component, child);
    const picker = createPicker(s.component, source++, options.keep);
    if (child.stdout === null) return;
    createInterface({ input: child.stdout, crlfDelay: Infinity }).on("line", (raw) => {
      const line = picker.push(raw);
      if (line !== undefined) options.print(line);
    });
  };
  for (const s of await logSources(options.dir, options.components)) start(s, String(options.lines));
  const rescan = setInterval(() => {
    void logSources(options.dir, options.components).then((found) => {
      for (const s of found) if (!tails.has(s.component) && !options.signal.aborted) start(s, "+1");
    });
  }, options.rescanMs ?? 1_000);
  await new Promise<void>((resolve) => {
    if (options.signal.aborted) resolve();
    else options.signal.addEventListener("abort", () => resolve(), { once: true });
  });
  clearInterval(rescan);
  await Promise.allSettled([...tails.values()]);
}
