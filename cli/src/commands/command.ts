import type { Context } from "../context.js";

/** One subcommand of ./polyglot: 0 is success, 1 a failed command, 2 bad usage. */
export interface Command {
  readonly summary: string;
  run(args: string[], ctx: Context): Promise<number>;
}
