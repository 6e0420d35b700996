import os from "node:os";
import { describe, expect, test } from "vitest";
import { execStep } from "../../src/stack/stack-context.js";
import { StackError } from "../../src/stack/stack-error.js";

describe("execStep (what prepare runs: mvn, go build, npm ci ...)", () => {
  test("shows each output line as progress", async () => {
    const seen: string[] = [];
    await execStep({ command: "sh", args: ["-c", "echo one; echo two >&2"], cwd: os.tmpdir() }, { update: (m) => seen.push(m) });
    expect(seen).toEqual(["one", "two"]);
  });

  test("a failure carries the last output lines and the step's hint", async () => {
    const error = await execStep({ command: "sh", args: ["-c", "echo resolving; echo 'could not reach Maven Central' >&2; exit 4"], cwd: os.tmpdir(), hint: "check the network" }, { update() {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StackError);
    expect((error as StackError).message).toContain("failed (exit 4)");
    expect((error as StackError).message).toContain("could not reach Maven Central");
    expect((error as StackError).hint).toBe("check the network");
  });

  test("a missing tool says how to install it", async () => {
    const error = await execStep({ command: "mvn-not-here", args: [], cwd: os.tmpdir() }, { update() {} }).catch((e: unknown) => e);
    expect((error as StackError).message).toBe("mvn-not-here is not installed (or not on PATH)");
  });
});
