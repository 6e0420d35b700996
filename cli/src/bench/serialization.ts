// `./polyglot bench serialization`: protobuf vs JSON vs Avro encode and decode of the test
// vectors' messages in Java, Go, Python and TypeScript, each with its own harness under
// bench/serialization/ (JMH, go test -bench, pytest-benchmark, tinybench). The harnesses run one
// after the other, never side by side: they would share 2 cores.
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Context } from "../context.js";
import { StackError } from "../stack/stack-error.js";
import { harnesses, runStep } from "./serialization-harnesses.js";
import { languages, parseHarnessResults, type Language, type LanguageResult, type SerializationResult } from "./serialization-result.js";

export { renderSerializationMarkdown, renderSerializationTable } from "./serialization-render.js";
export type { SerializationResult } from "./serialization-result.js";

export interface SerializationOptions {
  /** A build check: every harness builds and runs each benchmark barely; the figures mean nothing. */
  readonly quick?: boolean;
  /** Only these languages (default: all four, in this order: Java, Go, Python, TypeScript). */
  readonly languages?: readonly Language[];
}

/**
 * Where the results files go: .polyglot/bench/serialization/<language>.json and result.json; a
 * quick run (the build check) writes under quick/ so that it never replaces a real run's figures.
 */
export const serializationOutDir = (ctx: Context, quick: boolean): string => path.join(ctx.stateDir, "bench", "serialization", ...(quick ? ["quick"] : []));

export async function runSerializationBench(ctx: Context, progress: (line: string) => void, options: SerializationOptions = {}): Promise<SerializationResult> {
  const quick = options.quick ?? false;
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const loads = os.loadavg();
  const machine = {
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    loadAverage: [loads[0] ?? 0, loads[1] ?? 0, loads[2] ?? 0] as const,
  };
  const outDir = serializationOutDir(ctx, quick);
  await mkdir(outDir, { recursive: true });
  const results: LanguageResult[] = [];
  for (const language of options.languages ?? languages) {
    const harness = harnesses[language];
    const begun = Date.now();
    await harness.prepare(ctx, progress);
    const out = path.join(outDir, `${language}.json`);
    await rm(out, { force: true });
    progress(`${language}: measuring${quick ? " (quick: a build check)" : ""}...`);
    await runStep(harness.command(ctx, { out, quick }), harness.progressFilter(), progress);
    if (!existsSync(out)) {
      throw new StackError(`the ${language} harness ended without writing ${path.relative(ctx.root, out)}`, "read its output above; this is a bug in the harness");
    }
    const source = path.relative(ctx.root, out);
    const parsed = parseHarnessResults(JSON.parse(await readFile(out, "utf8")) as unknown, language, source, (Date.now() - begun) / 1000);
    progress(`${language}: done in ${Math.round(parsed.seconds)} s`);
    results.push(parsed);
  }
  const result: SerializationResult = {
    startedAt,
    seconds: (Date.now() - started) / 1000,
    command: `./polyglot bench serialization${quick ? " --quick" : ""}`,
    quick,
    machine,
    languages: results,
  };
  await writeFile(path.join(outDir, "result.json"), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}
