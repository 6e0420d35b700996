// ./polyglot logs: one component's log file (.polyglot/logs/NAME.log, `-f` to follow it); every
// component's log followed at once (`-f` without a name); or one chain's lines from every
// component merged in time order (`--correlation ID`).
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { execa } from "execa";
import type { Command } from "./command.js";
import { followLogs, logSources } from "../logs/follow.js";
import { belongsTo } from "../logs/log-line.js";
import { mergeChain, type MergedLine } from "../logs/merge.js";
import { renderJson, renderLine } from "../logs/render.js";
import { logDir } from "../stack/state.js";
import { UsageError } from "../usage-error.js";

const help = `Usage: ./polyglot logs NAME [-f] [-n N]
       ./polyglot logs -f [NAME]... [-n N] [--json]
       ./polyglot logs --correlation ID [NAME]... [-f] [--json]

  NAME               a component (kafka, order-service, order-service-2, ...): its log as written,
                     its rotated files first (a log is rotated at LOG_ROTATE_MB, default 20 MB,
                     and LOG_ROTATE_FILES rotated files, default 4, are kept)
  -f                 follow; without one NAME: every component's log (or the NAMEs) at once,
                     each line prefixed with its component, coloured per service
  -n N               lines to show before following (one NAME: from its end; -f: of each file)
  --correlation ID   the lines of one chain from every component's log (or the NAMEs), in time
                     order: JSON lines whose correlation_id is ID, and other lines (the broker's)
                     that contain ID; with -f, then follows new ones
  --json             one JSON object per line: {component, time, fields | text}`;

/** Waits for Ctrl-C (or SIGTERM) and aborts. */
function interrupted(): AbortController {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  controller.signal.addEventListener("abort", () => {
    process.removeListener("SIGINT", stop);
    process.removeListener("SIGTERM", stop);
  });
  return controller;
}

export const logs: Command = {
  summary: "print a component's log (-f to follow, every component's with no NAME; --correlation ID for one chain)",
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        follow: { type: "boolean", short: "f" },
        lines: { type: "string", short: "n" },
        correlation: { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
    const dir = logDir(ctx.stateDir);
    const known = (await logSources(dir)).map((s) => s.component);
    if (values.help) {
      console.log(`${help}\n\nLogs so far: ${known.join(", ") || "none (./polyglot up starts the stack)"}`);
      return 0;
    }
    if (values.lines !== undefined && !/^\d+$/.test(values.lines)) throw new UsageError(`-n takes a number of lines, not ${values.lines}`);
    const unknown = positionals.filter((n) => !known.includes(n));
    if (unknown.length > 0) {
      console.error(`polyglot: no log for '${unknown.join("', '")}'. Logs so far: ${known.join(", ") || "none"}.\nNext: ./polyglot up starts the stack; ./polyglot status lists its components.`);
      return 1;
    }

    const correlation = values.correlation;
    if (correlation === undefined && !(values.follow && positionals.length !== 1)) {
      if (positionals.length !== 1) throw new UsageError(`${help}\n\nLogs so far: ${known.join(", ") || "none (./polyglot up starts the stack)"}`);
      if (values.json) throw new UsageError("--json goes with -f or --correlation");
      const [source] = await logSources(dir, positionals);
      if (source === undefined || !existsSync(source.file)) return 1;
      // tail(1) is the well-kept tool for both printing and following a growing file. The whole
      // log is its rotated files, oldest first, then the current one; -n and -f read the current one.
      const whole = values.lines === undefined && !values.follow;
      const files = whole ? [...(source.rotated ?? []), source.file] : [source.file];
      const tailArgs = ["-q", values.lines === undefined ? "-n+1" : `-n${values.lines}`, ...(values.follow ? ["-F"] : []), ...files];
      const result = await execa("tail", tailArgs, { stdio: "inherit", reject: false });
      return result.exitCode === 0 || result.signal === "SIGINT" ? 0 : 1;
    }
    if (correlation !== undefined && correlation.trim() === "") throw new UsageError("--correlation takes the chain's correlation id");

    const sources = await logSources(dir, positionals);
    if (sources.length === 0) {
      console.error("polyglot: no logs yet.\nNext: ./polyglot up starts the stack.");
      return 1;
    }
    const width = Math.max(...sources.map((s) => s.component.length));
    const print = (m: MergedLine): void => {
      console.log(values.json ? renderJson(m.component, m.line, m.time) : renderLine(m.component, m.line, width, m.time));
    };
    if (correlation !== undefined) {
      const merged = await mergeChain(sources, correlation);
      merged.forEach(print);
      if (!values.follow) {
        if (merged.length === 0) {
          console.error(`polyglot: no line of ${sources.length} log${sources.length === 1 ? "" : "s"} has correlation id ${correlation}.`);
          return 1;
        }
        return 0;
      }
    }
    const controller = interrupted();
    await followLogs({
      dir,
      lines: correlation === undefined ? Number(values.lines ?? "10") : 0,
      components: positionals,
      keep: correlation === undefined ? () => true : (line) => belongsTo(line, correlation),
      print,
      signal: controller.signal,
    });
    return 0;
  },
};
