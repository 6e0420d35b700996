// The serialization table of `./polyglot bench` (protobuf vs JSON vs Avro in four languages),
// made by the module cli/src/bench/serialization.ts, which its own branch adds. It is loaded at
// run time through the small interface below, so `bench` runs (and says the table is missing)
// before that module lands.
// TODO(lead): once cli/src/bench/serialization.ts is on main, replace loadEncodingTable's dynamic
// import with a static `import { renderSerializationMarkdown, renderSerializationTable, runSerializationBench } from "./serialization.js"`
// (checked on a trial merge of bench-ser: the names match, and `bench serialization --quick
// --language typescript` ran through this bridge). On that merge keep this branch's
// cli/src/commands/bench.ts: its `serialization` subcommand takes bench-ser's options.
import type { Context } from "../context.js";

/** The options of the serialization bench (its module's SerializationOptions). */
export interface EncodingOptions {
  /** A build check: every benchmark runs barely, the figures mean nothing. */
  readonly quick?: boolean;
  /** Only these languages (default: all four). */
  readonly languages?: readonly string[];
}

export interface EncodingTable {
  /** Runs every language's harness; `progress` gets one line per step. */
  run(ctx: Context, progress: (line: string) => void, options?: EncodingOptions): Promise<unknown>;
  /** The result as a Markdown section for docs/benchmarks.md. */
  markdown(result: unknown): string;
  /** The result for the terminal. */
  terminal(result: unknown): string;
}

interface SerializationModule {
  readonly runSerializationBench?: (ctx: Context, progress: (line: string) => void, options?: EncodingOptions) => Promise<unknown>;
  readonly renderSerializationMarkdown?: (result: unknown) => string;
  readonly [name: string]: unknown;
}

/** The serialization bench, or why it is not there. */
export async function loadEncodingTable(): Promise<EncodingTable | string> {
  // A specifier in a variable: the type checker does not require the file, which lands separately.
  const specifier = "./serialization.js";
  let mod: SerializationModule;
  try {
    mod = (await import(specifier)) as SerializationModule;
  } catch {
    return "cli/src/bench/serialization.ts is not on this branch yet";
  }
  const { runSerializationBench: run, renderSerializationMarkdown: markdown } = mod;
  if (typeof run !== "function" || typeof markdown !== "function") return "cli/src/bench/serialization.ts does not export runSerializationBench and renderSerializationMarkdown";
  // The terminal renderer's name is the other module's choice: any other renderSerialization* function.
  const terminalName = Object.keys(mod).find((k) => k.startsWith("renderSerialization") && k !== "renderSerializationMarkdown" && typeof mod[k] === "function");
  const terminal = terminalName === undefined ? markdown : (mod[terminalName] as (result: unknown) => string);
  return { run, markdown, terminal };
}
