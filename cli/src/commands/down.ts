// ./polyglot down: stops the stack (or the named components) and leaves no process behind.
import { parseArgs } from "node:util";
import type { Command } from "./command.js";
import { printFailure } from "../stack/report.js";
import { stopStack } from "../stack/stop.js";

export const down: Command = {
  summary: "stop the stack (SIGTERM, then SIGKILL after a timeout); nothing is left running",
  async run(args, ctx) {
    const { values, positionals } = parseArgs({ args, strict: true, allowPositionals: true, options: { help: { type: "boolean", short: "h" } } });
    if (values.help) {
      console.log("Usage: ./polyglot down [NAME]...\n\nStops every running component, or only the named ones (e.g. kafka-2, order-service-2), dependents first.");
      return 0;
    }
    try {
      const stopped = await stopStack(ctx, positionals, (s) => {
        const how = s.how === "killed" ? "killed (did not stop after SIGTERM)" : s.how === "stopped" ? "stopped" : "was not running";
        console.log(`${s.name} (pid ${s.pid}) ${how} in ${s.seconds.toFixed(1)} s`);
      });
      if (stopped.length === 0) console.log("Nothing is running.");
      return 0;
    } catch (error: unknown) {
      await printFailure(error, ctx.root);
      return 1;
    }
  },
};
