// The list of subcommands; each lives in a file named after it.
import { bench } from "./bench.js";
import { chaos } from "./chaos.js";
import type { Command } from "./command.js";
import { demo } from "./demo.js";
import { down } from "./down.js";
import { gen } from "./gen.js";
import { load } from "./load.js";
import { logs } from "./logs.js";
import { reset } from "./reset.js";
import { seed } from "./seed.js";
import { status } from "./status.js";
import { test } from "./test.js";
import { up } from "./up.js";

export const commands = {
  demo,
  gen,
  test,
  up,
  down,
  reset,
  status,
  logs,
  chaos,
  load,
  seed,
  bench,
} satisfies Record<string, Command>;

export type CommandName = keyof typeof commands;

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(commands, name);
}
