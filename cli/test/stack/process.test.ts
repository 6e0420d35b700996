import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { beforeAll, describe, expect, test } from "vitest";
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

describe("under the log writer", () => {
  // The writer is a Go binary (infra/logwriter); `up` builds it with the same command.
  const writer = path.join(dir, "logwriter");
  beforeAll(async () => {
    await execa("go", ["build", "-o", writer, "."], { cwd: path.resolve(import.meta.dirname, "../../../infra/logwriter") });
  }, 120_000);

  test("the component keeps the pid it was started with, its output is in the log, and SIGTERM stops the group", async () => {
    const log = path.join(dir, "wrapped.log");
    const started = await startDetached({ command: "sh", args: ["-c", "echo pid $$; exec sleep 30"], cwd: dir, env: {} }, log, writer);
    await expect.poll(() => readFileSync(log, "utf8")).toContain(`pid ${started.pid}\n`);
    expect(await stopGroup(started.pid, 5_000)).toBe("stopped");
    expect(() => process.kill(-started.pid, 0)).toThrow();
  });

  test("a missing command fails to start with ENOENT, as without it", async () => {
    await expect(startDetached({ command: "no-such-command-polyglot", args: [], cwd: dir, env: {} }, path.join(dir, "missing2.log"), writer)).rejects.toMatchObject({ code: "ENOENT" });
  });
});
