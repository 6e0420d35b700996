// chaos kill and broker-pause on a stack of fake components: the signal reaches the process
// group, status sees it stopped, and `up` starts it again; a paused group is stopped, then runs.
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import type { Component } from "../../src/stack/component.js";
import type { Context } from "../../src/context.js";
import { killComponent, pauseBrokers, runningBrokers } from "../../src/chaos/signals.js";
import { alive } from "../../src/stack/process.js";
import { StackError } from "../../src/stack/stack-error.js";
import { startStack } from "../../src/stack/start.js";
import { stopStack } from "../../src/stack/stop.js";

function context(): Context {
  return { root: path.resolve("."), stateDir: mkdtempSync(path.join(os.tmpdir(), "polyglot-chaos-")), ci: true };
}

/** A process that stays up, with a child in its group, healthy at once. */
function sleeper(name: string): Component {
  return {
    name,
    summary: `fake ${name}`,
    dependsOn: [],
    ports: () => [],
    process: (ctx) => ({ command: "sh", args: ["-c", "sleep 60 & wait"], cwd: ctx.dataDir(name), env: {} }),
    healthy: async () => true,
    stopTimeoutMs: 2_000,
  };
}

/** The state letter of /proc/PID/stat: S sleeping, R running, T stopped. */
function procState(pid: number): string {
  return /\)\s+(\w)\s/.exec(readFileSync(`/proc/${pid}/stat`, "utf8"))?.[1] ?? "?";
}

describe("chaos kill", () => {
  test("kills one component's process group; up starts it again", { timeout: 30_000 }, async () => {
    const ctx = context();
    const components = (): readonly Component[] => [sleeper("worker"), sleeper("other")];
    await startStack(ctx, { brokers: 1, vars: {}, components });
    try {
      const killed = await killComponent(ctx, "worker", "SIGKILL");
      expect(killed).toMatchObject({ name: "worker", signal: "SIGKILL", gone: true });
      expect(await alive(killed.pid)).toBe(false);
      expect(() => process.kill(-killed.pid, 0)).toThrow();
      await expect(killComponent(ctx, "worker", "SIGTERM")).rejects.toThrow(/worker is not running/);
      const again = await startStack(ctx, { brokers: 1, vars: {}, components });
      expect(again).toMatchObject({ kind: "started", started: ["worker"] });
      expect((await killComponent(ctx, "worker", "SIGTERM")).gone).toBe(true);
    } finally {
      await stopStack(ctx);
    }
  });
});

describe("chaos broker-pause", () => {
  test("SIGSTOP freezes every broker's group for the time, SIGCONT lets it go on", { timeout: 30_000 }, async () => {
    const ctx = context();
    await startStack(ctx, { brokers: 1, vars: {}, components: () => [sleeper("kafka"), sleeper("web")] });
    try {
      const brokers = await runningBrokers(ctx);
      expect(brokers.map((b) => b.name)).toEqual(["kafka"]);
      const pid = brokers[0]?.pid ?? 0;
      const events: string[] = [];
      const pausing = pauseBrokers(brokers, 1, new AbortController().signal, (line) => events.push(line));
      await expect.poll(() => procState(pid)).toBe("T");
      await pausing;
      expect(procState(pid)).not.toBe("T");
      expect(events).toEqual([`paused kafka (pid ${pid}) with SIGSTOP for 1 s`, "resumed kafka with SIGCONT"]);
      await expect(runningBrokers(ctx, ["kafka-2"])).rejects.toBeInstanceOf(StackError);
    } finally {
      await stopStack(ctx);
    }
  });

  test("an abort resumes at once", { timeout: 30_000 }, async () => {
    const ctx = context();
    await startStack(ctx, { brokers: 1, vars: {}, components: () => [sleeper("kafka")] });
    try {
      const brokers = await runningBrokers(ctx);
      const controller = new AbortController();
      const since = performance.now();
      const pausing = pauseBrokers(brokers, 60, controller.signal, () => undefined);
      await expect.poll(() => procState(brokers[0]?.pid ?? 0)).toBe("T");
      controller.abort();
      await pausing;
      expect(performance.now() - since).toBeLessThan(10_000);
      expect(procState(brokers[0]?.pid ?? 0)).not.toBe("T");
    } finally {
      await stopStack(ctx);
    }
  });
});
