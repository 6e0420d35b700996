// Entry point of the ./polyglot CLI: picks the subcommand and maps failures to exit codes.
import pc from "picocolors";
import { commands, isCommandName } from "./commands/index.js";
import { createContext } from "./context.js";
import { UsageError } from "./usage-error.js";

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`);
  return ["Usage: ./polyglot <command> [options]", "", "Commands:", ...lines, "", "Run ./polyglot <command> --help for its options."].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  if (!isCommandName(name)) {
    console.error(`polyglot: unknown command '${name}'.\n\n${usage()}`);
    return 2;
  }
  return commands[name].run(rest, createContext());
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      console.error(`polyglot: ${error.message}`);
      process.exitCode = 2;
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    console.error(pc.red(`polyglot: ${message}`));
    process.exitCode = 1;
  },
);
