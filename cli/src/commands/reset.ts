// ./polyglot reset: a clean slate. Says what it will delete, asks (or takes --yes), stops the
// stack, and deletes its state; the next `./polyglot up` starts from empty topics and stores.
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import type { Command } from "./command.js";
import { printFailure } from "../stack/report.js";
import { deleteState, existingState } from "../stack/reset.js";
import { stopStack } from "../stack/stop.js";

const usage = `Usage: ./polyglot reset [--yes]

Stops the stack and deletes its state: the broker's data, the services' databases, the mail
sink, Prometheus' and Zipkin's data and the logs. Installed tools and builds stay. Without
--yes it lists what it will delete and asks first.`;

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

async function confirmed(): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await prompt.question("Delete all of it? [y/N] ")).trim());
  } finally {
    prompt.close();
  }
}

export const reset: Command = {
  summary: "stop the stack and delete its state (broker data, databases, mail sink, metrics, logs) for a clean slate",
  async run(args, ctx) {
    let values: { yes?: boolean; help?: boolean };
    try {
      ({ values } = parseArgs({ args, strict: true, options: { yes: { type: "boolean", short: "y" }, help: { type: "boolean", short: "h" } } }));
    } catch (error: unknown) {
      console.error(`polyglot reset: ${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
      return 2;
    }
    if (values.help) {
      console.log(usage);
      return 0;
    }
    try {
      const state = await existingState(ctx.stateDir);
      if (state.length === 0) {
        console.log(`Nothing to delete: ${ctx.stateDir} holds no stack state.`);
        return 0;
      }
      console.log("./polyglot reset deletes:");
      for (const s of state) console.log(`  ${s.path}  ${megabytes(s.bytes)}  (${s.what})`);
      if (values.yes !== true) {
        if (!process.stdin.isTTY) {
          console.error("Not deleted: no terminal to ask. Run ./polyglot reset --yes to delete it.");
          return 2;
        }
        if (!(await confirmed())) {
          console.log("Not deleted.");
          return 1;
        }
      }
      const stopped = await stopStack(ctx);
      if (stopped.length > 0) console.log(`Stopped ${stopped.map((s) => s.name).join(", ")}.`);
      await deleteState(state);
      console.log(`Deleted ${megabytes(state.reduce((n, s) => n + s.bytes, 0))}. ./polyglot up starts from empty topics and stores.`);
      return 0;
    } catch (error: unknown) {
      await printFailure(error, ctx.root);
      return 1;
    }
  },
};
