// buf's own checks on the schemas: lint, format, and no breaking change against main.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { copyModule, repoRoot, run, runBuf, schemasDir, withTempDir } from "./tools.js";

/**
 * The branch whose schemas are published: POLYGLOT_BREAKING_AGAINST, else `main`, else
 * `origin/main` (a clone checked out on another branch may only have the remote one).
 */
async function publishedRef(): Promise<string> {
  const candidates = process.env.POLYGLOT_BREAKING_AGAINST ? [process.env.POLYGLOT_BREAKING_AGAINST] : ["main", "origin/main"];
  for (const ref of candidates) {
    if ((await run("git", ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], repoRoot)).exitCode === 0) return ref;
  }
  throw new Error(`none of ${candidates.join(", ")} is a commit in this repository: fetch main, or set POLYGLOT_BREAKING_AGAINST`);
}

describe("buf", () => {
  it("lint (STANDARD) finds nothing", async () => {
    const { exitCode, output } = await runBuf(["lint"]);
    expect(output).toBe("");
    expect(exitCode).toBe(0);
  });

  it("format leaves every file as it is", async () => {
    const { exitCode, output } = await runBuf(["format", "--diff", "--exit-code"]);
    expect(output).toBe("");
    expect(exitCode).toBe(0);
  });

  it("breaking (FILE) finds no breaking change against main's schemas", async () => {
    const ref = await publishedRef();
    // git archive instead of buf's .git input: it works the same in a clone and in a worktree
    // (where .git is a file), and needs nothing but git.
    await withTempDir(async (dir) => {
      const archive = path.join(dir, "main.tar");
      const archived = await run("git", ["archive", "--format=tar", `--output=${archive}`, ref, "schemas/buf.yaml", "schemas/proto"], repoRoot);
      expect(archived.output).toBe("");
      expect((await run("tar", ["-xf", archive, "-C", dir])).exitCode).toBe(0);
      const { exitCode, output } = await runBuf(["breaking", "--against", path.join(dir, "schemas")]);
      expect(output).toBe("");
      expect(exitCode).toBe(0);
    });
  });
});

describe("buf breaking rejects a breaking change", () => {
  const userEvents = path.join("proto", "polyglot", "events", "v1", "user_events.proto");
  const cases = [
    { change: "a field's type", from: "  string email = 2;", to: "  bytes email = 2;", rule: "FIELD_SAME_TYPE" },
    { change: "a field's number", from: "  string email = 2;", to: "  string email = 20;", rule: "FIELD_NO_DELETE" },
    { change: "a deleted field", from: "  string email = 2;\n", to: "", rule: "FIELD_NO_DELETE" },
    { change: "a renamed field", from: "  string email = 2;", to: "  string mail = 2;", rule: "FIELD_SAME_NAME" },
    { change: "an enum value's number", from: "  SIGNUP_SOURCE_WEB = 1;", to: "  SIGNUP_SOURCE_WEB = 5;", rule: "ENUM_VALUE_NO_DELETE" },
  ];

  async function breakingAfter(from: string, to: string): Promise<{ exitCode: number; output: string }> {
    return withTempDir(async (dir) => {
      await copyModule(dir);
      const file = path.join(dir, userEvents);
      const source = await readFile(file, "utf8");
      expect(source).toContain(from);
      await writeFile(file, source.replace(from, to));
      return runBuf(["breaking", dir, "--against", schemasDir, "--error-format=json"]);
    });
  }

  it.each(cases)("$change ($rule)", async ({ from, to, rule }) => {
    const { exitCode, output } = await breakingAfter(from, to);
    expect(output).toContain(`"type":"${rule}"`);
    expect(exitCode).not.toBe(0);
  });

  it("but accepts a new field with a new number", async () => {
    const { exitCode, output } = await breakingAfter("  string phone_number = 8;\n", "  string phone_number = 8;\n  string locale = 99;\n");
    expect(output).toBe("");
    expect(exitCode).toBe(0);
  });
});

describe("the future schemas of the future-* vectors", () => {
  it("are a compatible evolution of the current ones (new fields only, nothing changed)", async () => {
    // Laid over a copy of the current module, so the files it does not hold count as unchanged.
    await withTempDir(async (dir) => {
      await copyModule(dir);
      const future = path.join(schemasDir, "testdata", "future");
      for (const file of ["polyglot/common/v1/metadata.proto", "polyglot/common/v1/money.proto", "polyglot/events/v1/user_events.proto", "polyglot/events/v1/order_events.proto"]) {
        await writeFile(path.join(dir, "proto", file), await readFile(path.join(future, file)));
      }
      const { exitCode, output } = await runBuf(["breaking", dir, "--against", schemasDir]);
      expect(output).toBe("");
      expect(exitCode).toBe(0);
    });
  });
});
