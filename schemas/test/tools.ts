// What the schema tests run: buf from schemas/node_modules and git, in the real repository.
import { execFile } from "node:child_process";
import { cp, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const schemasDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const repoRoot = path.dirname(schemasDir);
const buf = path.join(schemasDir, "node_modules", ".bin", "buf");

export interface Run {
  readonly exitCode: number;
  /** stdout and stderr together, for assertions and failure messages. */
  readonly output: string;
}

export function run(command: string, args: readonly string[], cwd = schemasDir): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== "number") {
        reject(error);
        return;
      }
      resolve({ exitCode: error ? Number(error.code) : 0, output: `${stdout}${stderr}` });
    });
  });
}

export const runBuf = (args: readonly string[], cwd = schemasDir): Promise<Run> => run(buf, args, cwd);

/** A fresh temp dir for `body`, removed afterwards. */
export async function withTempDir<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "polyglot-schemas-test-"));
  try {
    return await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A copy of the buf module (buf.yaml and proto/) in `dir`, to break or extend in a test. */
export async function copyModule(dir: string): Promise<void> {
  await cp(path.join(schemasDir, "buf.yaml"), path.join(dir, "buf.yaml"));
  await cp(path.join(schemasDir, "proto"), path.join(dir, "proto"), { recursive: true });
}

/** Every file under `dir` with its content, keyed by its path relative to `dir`. */
export async function readTree(dir: string): Promise<Map<string, string>> {
  const tree = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    tree.set(path.relative(dir, file), (await readFile(file)).toString("base64"));
  }
  return tree;
}

/** The paths where `actual` differs from `expected`: missing, unexpected or changed files. */
export function diffTrees(expected: Map<string, string>, actual: Map<string, string>): string[] {
  const diffs: string[] = [];
  for (const [file, content] of expected) {
    if (!actual.has(file)) diffs.push(`missing: ${file}`);
    else if (actual.get(file) !== content) diffs.push(`differs: ${file}`);
  }
  for (const file of actual.keys()) if (!expected.has(file)) diffs.push(`not generated: ${file}`);
  return diffs.sort();
}
