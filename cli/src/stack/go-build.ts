// `go build` of a binary of this repository into .polyglot/bin (shared by every stack), skipped when nothing it is built
// from changed. A stamp beside the binary holds the hash of its sources (go.mod, go.sum, every
// non-test .go file, the Go version), so a warm `up` does not even ask go, whose relink of a
// binary alone takes seconds.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import type { StackContext } from "./component.js";

export interface GoBinary {
  /** The module's directory. */
  readonly dir: string;
  /** The package to build, relative to `dir` (`./cmd/order-service`, `.`). */
  readonly pkg: string;
  /** Where the binary goes. */
  readonly binary: string;
  /** The progress line while it builds. */
  readonly building: string;
  readonly hint: string;
}

/** The hash of everything a binary of module `dir` is built from. */
export async function goSourceHash(dir: string): Promise<string> {
  const hash = createHash("sha256");
  const { stdout: goVersion } = await execa("go", ["env", "GOVERSION"], { cwd: dir });
  hash.update(goVersion.trim());
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .filter((f) => f === "go.mod" || f === "go.sum" || (f.endsWith(".go") && !f.endsWith("_test.go")))
    .sort();
  for (const file of files) {
    hash.update(`\0${file}\0`);
    hash.update(await readFile(path.join(dir, file)));
  }
  return hash.digest("hex");
}

/** Builds `b.binary` unless its stamp says it was built from these very sources. */
export async function buildGoBinary(ctx: Pick<StackContext, "progress" | "exec">, b: GoBinary): Promise<void> {
  const stamp = `${b.binary}.stamp`;
  const wanted = await goSourceHash(b.dir);
  if (existsSync(b.binary) && existsSync(stamp) && (await readFile(stamp, "utf8")).trim() === wanted) return;
  await mkdir(path.dirname(b.binary), { recursive: true });
  ctx.progress.update(b.building);
  // Built beside it and renamed over it: every stack shares the binary (build-dir.ts), and another
  // stack may be running it; go build writing in place would fail with "text file busy".
  const fresh = `${b.binary}.${process.pid}.tmp`;
  await ctx.exec({ command: "go", args: ["build", "-v", "-o", fresh, b.pkg], cwd: b.dir, hint: b.hint });
  await rename(fresh, b.binary);
  await writeFile(stamp, `${wanted}\n`);
}
