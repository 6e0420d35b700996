// The list of subcommands; each lives in a file named after it.
import type { Command } from "./command.js";
import { demo } from "./demo.js";
import { gen } from "./gen.js";
import { test } from "./test.js";

export const commands = {
  demo,
  gen,
  test,
} satisfies Record<string, Command>;

export type CommandName = keyof typeof commands;

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(commands, name);
}
