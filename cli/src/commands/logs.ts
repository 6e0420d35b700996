// ./polyglot logs NAME: a component's log file (.polyglot/logs/NAME.log), `-f` to follow it.
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { execa } from "execa";
import type { Command } from "./command.js";
import { logDir } from "../stack/state.js";
import { UsageError } from "../usage-error.js";

export const logs: Command = {
  summary: "print a component's log (-f to follow, -n N for the last N lines)",
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: { follow: { type: "boolean", short: "f" }, lines: { type: "string", short: "n" }, help: { type: "boolean", short: "h" } },
    });
    const dir = logDir(ctx.stateDir);
    const known = existsSync(dir) ? (await readdir(dir)).filter((f) => f.endsWith(".log")).map((f) => f.slice(0, -4)) : [];
    if (values.help || positionals.length !== 1) {
      const usage = `Usage: ./polyglot logs NAME [-f] [-n N]\n\nLogs so far: ${known.join(", ") || "none (./polyglot up starts the stack)"}`;
      if (values.help) {
        console.log(usage);
        return 0;
      }
      throw new UsageError(usage);
    }
    const name = positionals[0] ?? "";
    const file = path.join(dir, `${name}.log`);
    if (!existsSync(file)) {
      console.error(`polyglot: no log for '${name}'. Logs so far: ${known.join(", ") || "none"}.\nNext: ./polyglot up starts the stack; ./polyglot status lists its components.`);
      return 1;
    }
    if (values.lines !== undefined && !/^\d+$/.test(values.lines)) throw new UsageError(`-n takes a number of lines, not ${values.lines}`);
    // tail(1) is the well-kept tool for both printing and following a growing file.
    const tailArgs = [values.lines === undefined ? "-n+1" : `-n${values.lines}`, ...(values.follow ? ["-F"] : []), file];
    const result = await execa("tail", tailArgs, { stdio: "inherit", reject: false });
    return result.exitCode === 0 || result.signal === "SIGINT" ? 0 : 1;
  },
};
