// ./polyglot status: health, pid, ports and URL of each component (`--json` for scripts).
import { parseArgs } from "node:util";
import type { Command } from "./command.js";
import { stackStatus } from "../stack/inspect.js";
import { statusLines } from "../stack/report.js";

export const status: Command = {
  summary: "show each component's health, pid, ports and URL (--json for scripts)",
  async run(args, ctx) {
    const { values } = parseArgs({ args, strict: true, options: { json: { type: "boolean" }, help: { type: "boolean", short: "h" } } });
    if (values.help) {
      console.log("Usage: ./polyglot status [--json]\n\nExit code 0 when every running component is healthy (or nothing runs), 1 otherwise.");
      return 0;
    }
    const current = await stackStatus(ctx);
    if (values.json) {
      console.log(JSON.stringify(current, null, 2));
    } else {
      for (const line of statusLines(current)) console.log(line);
      if (!current.running) console.log("\nNothing is running: ./polyglot up starts the stack.");
    }
    const started = current.components.filter((c) => c.pid !== undefined || c.health !== "stopped");
    return started.every((c) => c.health === "healthy") ? 0 : 1;
  },
};
