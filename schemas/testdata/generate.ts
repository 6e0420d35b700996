// Writes the test vectors: schemas/testdata/<package>/<Message>/<case>.{binpb,json} from the
// hand-written sources in schemas/testdata/source/<package>/<Message>/<case>.json.
//
// One encoder writes every vector, so no language's own encoder is trusted to judge itself:
// `buf convert` (protobuf-go, deterministic marshalling, so map entries are sorted by key)
// turns each source into binary, and the canonical JSON twin is what buf makes of that
// binary, so the two always hold the same message. Cases named `future-*` are encoded with
// the newer schemas in testdata/future/ and decoded to JSON with the current ones, which is
// exactly what an old consumer sees of a newer producer's record.
//
// Usage: node testdata/generate.ts [--out DIR]   (from schemas/, Node 24 strips the types)
// Without --out it rewrites the vectors in place; the staleness test writes into a temp dir.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { promisify } from "node:util";

const run = promisify(execFile);

const testdataDir = path.dirname(fileURLToPath(import.meta.url));
const schemasDir = path.dirname(testdataDir);
const sourceDir = path.join(testdataDir, "source");
const futureDir = path.join(testdataDir, "future");
const buf = path.join(schemasDir, "node_modules", ".bin", "buf");

/** A vector package directory is named after its proto package, e.g. `polyglot.events.v1`. */
export const isPackageDir = (name: string): boolean => name.startsWith("polyglot.");

interface Case {
  readonly pkg: string;
  readonly message: string;
  readonly name: string;
}

async function listCases(): Promise<Case[]> {
  const cases: Case[] = [];
  for (const pkg of (await readdir(sourceDir)).filter(isPackageDir).sort()) {
    for (const message of (await readdir(path.join(sourceDir, pkg))).sort()) {
      for (const file of (await readdir(path.join(sourceDir, pkg, message))).sort()) {
        if (!file.endsWith(".json")) {
          throw new Error(`unexpected file ${path.join(pkg, message, file)} in testdata/source`);
        }
        cases.push({ pkg, message, name: file.slice(0, -".json".length) });
      }
    }
  }
  return cases;
}

async function bufRun(args: string[]): Promise<string> {
  const { stdout } = await run(buf, args, { cwd: schemasDir, maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

async function writeCase(c: Case, out: string, images: { current: string; future: string }): Promise<void> {
  const type = `${c.pkg}.${c.message}`;
  const dir = path.join(out, c.pkg, c.message);
  const binpb = path.join(dir, `${c.name}.binpb`);
  const writer = c.name.startsWith("future-") ? images.future : images.current;
  await mkdir(dir, { recursive: true });
  await bufRun([
    "convert", `${writer}#format=binpb`, "--type", type,
    "--from", `${path.join(sourceDir, c.pkg, c.message, `${c.name}.json`)}#format=json`,
    "--to", `${binpb}#format=binpb`,
  ]);
  const json = await bufRun([
    "convert", `${images.current}#format=binpb`, "--type", type, "--from", `${binpb}#format=binpb`, "--to", "-#format=json",
  ]);
  // protojson's spacing is deliberately unstable; a fixed layout keeps the diffs readable.
  await writeFile(path.join(dir, `${c.name}.json`), `${JSON.stringify(JSON.parse(json), null, 2)}\n`);
}

/** Runs `tasks` with at most `limit` of them at a time (each one is a buf process). */
async function pool(tasks: (() => Promise<void>)[], limit: number): Promise<void> {
  const queue = [...tasks];
  const workers = Array.from({ length: limit }, async () => {
    for (let task = queue.shift(); task; task = queue.shift()) await task();
  });
  await Promise.all(workers);
}

export async function generate(out: string): Promise<number> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), "polyglot-vectors-"));
  try {
    const images = { current: path.join(tmp, "current.binpb"), future: path.join(tmp, "future.binpb") };
    await bufRun(["build", ".", "-o", images.current]);
    await bufRun(["build", futureDir, "-o", images.future]);
    for (const entry of await readdir(out, { withFileTypes: true }).catch(() => [])) {
      if (entry.isDirectory() && isPackageDir(entry.name)) await rm(path.join(out, entry.name), { recursive: true });
    }
    const cases = await listCases();
    await pool(cases.map((c) => () => writeCase(c, out, images)), Math.max(2, os.availableParallelism()));
    return cases.length;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { out: { type: "string" } }, strict: true });
  const out = path.resolve(values.out ?? testdataDir);
  generate(out).then(
    (count) => console.log(`wrote ${count} test vectors into ${path.relative(process.cwd(), out) || "."}`),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
