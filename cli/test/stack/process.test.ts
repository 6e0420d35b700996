import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { alive, startDetached, stopGroup } from "../../src/stack/process.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "polyglot-process-"));

describe("a detached process group", () => {
  test("writes its output to the log file and stops on SIGTERM", async () => {
    const log = path.join(dir, "echo.log");
    const started = await startDetached({ command: "sh", args: ["-c", "echo started; exec sleep 30"], cwd: dir, env: {} }, log);
    expect(await alive(started.pid)).toBe(true);
    await expect.poll(() => readFileSync(log, "utf8")).toContain("started");
    expect(await stopGroup(started.pid, 5_000)).toBe("stopped");
    expect(await alive(started.pid)).toBe(false);
  });

  test("that ignores SIGTERM is killed after the timeout, children included", async () => {
    // Ignored signals stay ignored across exec, so the sleep child ignores SIGTERM too.
    const log = path.join(dir, "stubborn.log");
    const started = await startDetached({ command: "sh", args: ["-c", "trap '' TERM; echo trapped; sleep 30 & wait"], cwd: dir, env: {} }, log);
    await expect.poll(() => readFileSync(log, "utf8")).toContain("trapped");
    expect(await stopGroup(started.pid, 500)).toBe("killed");
    expect(() => process.kill(-started.pid, 0)).toThrow();
  });

  test("a missing command fails to start with ENOENT", async () => {
    await expect(startDetached({ command: "no-such-command-polyglot", args: [], cwd: dir, env: {} }, path.join(dir, "missing.log"))).rejects.toMatchObject({ code: "ENOENT" });
  });

  test("stopping a group that is gone says so", async () => {
    const started = await startDetached({ command: "true", args: [], cwd: dir, env: {} }, path.join(dir, "true.log"));
    await started.exited;
    expect(await stopGroup(started.pid, 1_000)).toBe("not running");
  });
});
