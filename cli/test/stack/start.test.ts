// The runner with fake components (small node HTTP servers): dependency order, a second `up`,
// a failing component, a taken port, and `down` leaving nothing behind.
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import type { Component, StackEnv } from "../../src/stack/component.js";
import type { Context } from "../../src/context.js";
import { httpOk } from "../../src/stack/probes.js";
import { alive } from "../../src/stack/process.js";
import { startStack, StartFailure } from "../../src/stack/start.js";
import { StackError } from "../../src/stack/stack-error.js";
import { readState } from "../../src/stack/state.js";
import { stopStack } from "../../src/stack/stop.js";
import { freePorts } from "../../src/stack/test-stack.js";

function context(): Context {
  return { root: path.resolve("."), stateDir: mkdtempSync(path.join(os.tmpdir(), "polyglot-stack-")), ci: true };
}

/** A component that serves HTTP on `port` once it has waited `delayMs`. */
function server(name: string, port: number, dependsOn: string[] = []): Component {
  const script = `setTimeout(() => require("node:http").createServer((q, r) => r.end("ok")).listen(${port}, "127.0.0.1"), 200)`;
  return {
    name,
    summary: `fake ${name}`,
    dependsOn,
    ports: () => [port],
    url: () => `http://127.0.0.1:${port}`,
    process: (ctx) => ({ command: process.execPath, args: ["-e", script], cwd: ctx.dataDir(name), env: {} }),
    healthy: () => httpOk(`http://127.0.0.1:${port}/`, 500),
    startTimeoutMs: 10_000,
  };
}

function crashing(name: string, dependsOn: string[]): Component {
  return {
    name,
    summary: `fake ${name} that crashes`,
    dependsOn,
    ports: () => [],
    process: () => ({ command: process.execPath, args: ["-e", 'console.error("boom: no config"); process.exit(3)'], cwd: os.tmpdir(), env: {} }),
    healthy: async () => false,
  };
}

const options = (components: (env: StackEnv) => readonly Component[]) => ({ brokers: 1 as const, vars: {}, components });

describe("startStack and stopStack", () => {
  test("start in dependency order; a second up changes nothing; down leaves nothing running", async () => {
    const ctx = context();
    const [a = 0, b = 0] = await freePorts(2);
    const components = (): readonly Component[] => [server("web", b, ["db"]), server("db", a)];
    const first = await startStack(ctx, options(components));
    expect(first).toMatchObject({ kind: "started", started: ["web", "db"] });
    const state = await readState(ctx.stateDir);
    const web = state?.components.find((c) => c.name === "web");
    const db = state?.components.find((c) => c.name === "db");
    expect(web && db && web.startedAt >= db.startedAt).toBe(true);
    expect(readdirSync(path.join(ctx.stateDir, "run")).sort()).toEqual(["db.pid", "stack.json", "web.pid"]);

    const second = await startStack(ctx, options(components));
    expect(second.kind).toBe("already-up");
    expect((await readState(ctx.stateDir))?.components.map((c) => c.pid).sort()).toEqual(state?.components.map((c) => c.pid).sort());

    const stopped = await stopStack(ctx);
    expect(stopped.map((s) => `${s.name}:${s.how}`).sort()).toEqual(["db:stopped", "web:stopped"]);
    for (const c of state?.components ?? []) expect(await alive(c.pid)).toBe(false);
    expect(readdirSync(path.join(ctx.stateDir, "run"))).toEqual([]);
  });

  test("a component starts once what it waits for is up, not after a whole wave; startsBeside does not wait", async () => {
    const ctx = context();
    const [base = 0, web = 0, slow = 0, db = 0, api = 0] = await freePorts(5);
    // `slow` is healthy only once `web` answers, and `db` only once `api` does: waiting for the
    // whole first wave (base and slow) before web, or for db before api, would never get there.
    const gatedOn = (c: Component, port: number): Component => ({ ...c, healthy: async (sc) => (await httpOk(`http://127.0.0.1:${port}/`, 500)) && (await c.healthy(sc)) });
    const components = (): readonly Component[] => [
      server("base", base),
      server("web", web, ["base"]),
      gatedOn(server("slow", slow), web),
      gatedOn(server("db", db), api),
      { ...server("api", api, ["db"]), startsBeside: ["db"] },
    ];
    try {
      expect(await startStack(ctx, options(components))).toMatchObject({ kind: "started" });
    } finally {
      await stopStack(ctx);
    }
  });

  test("a component that exits while starting is named with its log, and what started before it is stopped", async () => {
    const ctx = context();
    const [port = 0] = await freePorts(1);
    const components = (): readonly Component[] => [server("db", port), crashing("api", ["db"])];
    const error = await startStack(ctx, options(components)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StartFailure);
    expect((error as StartFailure).component).toBe("api");
    expect((error as StartFailure).message).toBe("api exited with code 3 while starting");
    expect((error as StartFailure).hint).toContain("./polyglot logs api");
    expect(existsSync((error as StartFailure).logFile)).toBe(true);
    expect(await readState(ctx.stateDir)).toBeUndefined();
    expect(await portIsFree(port)).toBe(true);
  });

  test("a taken port is refused before anything starts, naming the holder", async () => {
    const ctx = context();
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen({ host: "127.0.0.1", port: 0 }, resolve));
    const port = (holder.address() as net.AddressInfo).port;
    try {
      const error = await startStack(ctx, options(() => [server("db", port)])).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StackError);
      expect((error as StackError).message).toMatch(new RegExp(`db: port ${port} is taken by .+ \\(pid ${process.pid}\\)`));
      expect(await readState(ctx.stateDir)).toBeUndefined();
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });
});

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once("error", () => resolve(false));
    s.listen({ host: "127.0.0.1", port }, () => s.close(() => resolve(true)));
  });
}
