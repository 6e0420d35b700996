// The committed generated code and test vectors must be exactly what the generators write
// today: a schema change without `./polyglot gen` fails here, not in another language's build.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { diffTrees, readTree, run, runBuf, schemasDir, withTempDir } from "./tools.js";

/** The `out:` folders of buf.gen.yaml, relative to schemas/ (one folder may serve two plugins). */
async function generatedDirs(): Promise<string[]> {
  const template = await readFile(path.join(schemasDir, "buf.gen.yaml"), "utf8");
  const dirs = [...template.matchAll(/^\s+out:\s*(\S+)\s*$/gm)].map((m) => m[1] as string);
  return [...new Set(dirs)];
}

describe("generated code", () => {
  it("is what buf generate writes now (run ./polyglot gen after a schema change)", async () => {
    const dirs = await generatedDirs();
    expect(dirs.length).toBeGreaterThanOrEqual(4);
    await withTempDir(async (tmp) => {
      // buf prepends --output to each out: folder, so ../services/x lands in <tmp>/services/x.
      const base = path.join(tmp, "schemas");
      const generated = await runBuf(["generate", "--output", base]);
      expect(generated.output).toBe("");
      expect(generated.exitCode).toBe(0);
      for (const dir of dirs) {
        const committed = await readTree(path.resolve(schemasDir, dir));
        expect(committed.size, `${dir} holds generated code`).toBeGreaterThan(0);
        expect(diffTrees(await readTree(path.resolve(base, dir)), committed), dir).toEqual([]);
      }
    });
  });
});

describe("test vectors", () => {
  it("are what testdata/generate.ts writes now (run ./polyglot gen after changing a source)", async () => {
    await withTempDir(async (tmp) => {
      const generated = await run(process.execPath, [path.join(schemasDir, "testdata", "generate.ts"), "--out", tmp]);
      expect(generated.exitCode, generated.output).toBe(0);
      const testdata = path.join(schemasDir, "testdata");
      const packages = (await readdir(testdata)).filter((d) => d.startsWith("polyglot."));
      expect(packages.sort()).toEqual((await readdir(tmp)).sort());
      for (const pkg of packages) {
        expect(diffTrees(await readTree(path.join(tmp, pkg)), await readTree(path.join(testdata, pkg))), pkg).toEqual([]);
      }
    });
  });

  it("cover every source case, each as a .binpb with its .json twin", async () => {
    const sources = [...(await readTree(path.join(schemasDir, "testdata", "source"))).keys()].map((f) => f.replace(/\.json$/, ""));
    const vectors = [...(await readTree(path.join(schemasDir, "testdata"))).keys()].filter((f) => /^polyglot\.[^/]+\/[^/]+\/[^/]+\.binpb$/.test(f));
    expect(vectors.map((f) => f.replace(/\.binpb$/, "")).sort()).toEqual(sources.sort());
  });
});

