// Runs encode and decode of every case in every format with tinybench and writes the results
// in the shared shape of bench/serialization/README.md:
//   node dist/main.js --out results.json [--quick]
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { Bench } from "tinybench";
import { loadCases } from "./cases.js";
import { formats } from "./formats.js";

/** Calls per timed sample: tinybench times each sample, and one sub-microsecond call would mostly time the clock. */
const BATCH = 10;

interface Row {
  message: string;
  format: string;
  library: string;
  bytes: number;
  encode_ns?: number;
  decode_ns?: number;
}

function packageVersion(name: string): string {
  const file = path.join(import.meta.dirname, "..", "node_modules", ...name.split("/"), "package.json");
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: "string", default: "results.json" }, quick: { type: "boolean", default: false } }, strict: true });
  const root = path.resolve(import.meta.dirname, "..", "..", "..", "..");
  const quick = values.quick;
  // Short but sane on 2 cores; --quick is a build check that calls everything a few times.
  const options = quick ? { time: 1, warmupTime: 0, iterations: 2, warmupIterations: 0 } : { time: 200, warmupTime: 100, iterations: 64, warmupIterations: 64 };
  const bench = new Bench({ name: "serialization", ...options });
  const rows = new Map<string, Row>();
  const cases = loadCases(root);
  for (const c of cases) {
    for (const f of formats({ protobuf: packageVersion("@bufbuild/protobuf"), avsc: packageVersion("avsc") })) {
      const value = f.value(c);
      const bytes = f.encode(c, value);
      if (!f.same(c, f.decode(c, bytes), value)) throw new Error(`${c.name} ${f.format}: decode(encode(x)) differs from x`);
      const key = `${c.name}|${f.library}`;
      rows.set(key, { message: c.name, format: f.format, library: f.library, bytes: bytes.byteLength });
      bench.add(`${key}|encode`, () => {
        for (let i = 0; i < BATCH; i++) f.encode(c, value);
      });
      bench.add(`${key}|decode`, () => {
        for (let i = 0; i < BATCH; i++) f.decode(c, bytes);
      });
    }
  }
  bench.addEventListener("cycle", (event) => {
    const task = event.task;
    if (task === undefined) return;
    const [message = "", library = "", op = ""] = task.name.split("|");
    const result = task.result;
    if (result.state !== "completed") throw new Error(`${task.name}: ${result.state === "errored" ? result.error.message : result.state}`);
    const ns = (result.latency.mean * 1e6) / BATCH;
    const row = rows.get(`${message}|${library}`);
    if (row !== undefined) row[op === "encode" ? "encode_ns" : "decode_ns"] = ns;
    console.log(`${message.slice(message.lastIndexOf(".") + 1)} ${library} ${op}: ${ns.toFixed(0)} ns/op (${result.latency.samplesCount} samples)`);
  });
  await bench.run();
  const doc = {
    language: "typescript",
    runtime: `Node.js ${process.version}`,
    harness: `tinybench ${packageVersion("tinybench")}`,
    settings: `time ${options.time} ms, warmup ${options.warmupTime} ms, at least ${options.iterations} samples of ${BATCH} calls each (mean)`,
    results: [...rows.values()],
  };
  writeFileSync(values.out, `${JSON.stringify(doc, null, 2)}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
