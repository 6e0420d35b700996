// Scale-out: instance names, ports, data dirs and environment; --scale parsing; and up/status/down
// with several instances of fake components.
import { mkdtempSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, test } from "vitest";
import type { Component, StackContext } from "../../src/stack/component.js";
import type { Context } from "../../src/context.js";
import { checkScale, instanceComponent, instanceEnv, instanceUrl, maxInstances, parseScale, portVariable, withInstances } from "../../src/stack/instances.js";
import { stackComponents } from "../../src/stack/components/index.js";
import { httpOk } from "../../src/stack/probes.js";
import { alive } from "../../src/stack/process.js";
import { createStackContext, silentProgress } from "../../src/stack/stack-context.js";
import { createStackEnv } from "../../src/stack/stack-env.js";
import { StackError } from "../../src/stack/stack-error.js";
import { startStack } from "../../src/stack/start.js";
import { readState } from "../../src/stack/state.js";
import { stopStack } from "../../src/stack/stop.js";
import { freePorts } from "../../src/stack/test-stack.js";
import { UsageError } from "../../src/usage-error.js";

function context(): Context {
  return { root: path.resolve("."), stateDir: mkdtempSync(path.join(os.tmpdir(), "polyglot-scale-")), ci: true };
}

/** A scalable fake service the way real ones are written: port from `<NAME>_PORT`, DATA_DIR from ctx.dataDir(name). */
function service(name: string, defaultPort: number, dependsOn: string[] = []): Component {
  const port = (env: { port(v: string, f: number): number }): number => env.port(portVariable(name), defaultPort);
  const script = 'require("node:http").createServer((q, r) => r.end(process.env.DATA_DIR + " " + (process.env.POLYGLOT_INSTANCE ?? "-"))).listen(Number(process.env.HTTP_PORT), "127.0.0.1")';
  return {
    name,
    summary: `fake ${name}`,
    dependsOn,
    scalable: true,
    ports: (env) => [port(env)],
    url: (env) => `http://127.0.0.1:${port(env)}`,
    process: (ctx) => ({ command: process.execPath, args: ["-e", script], cwd: ctx.dataDir(name), env: { HTTP_PORT: String(port(ctx.env)), DATA_DIR: ctx.dataDir(name) } }),
    healthy: (ctx) => httpOk(`http://127.0.0.1:${port(ctx.env)}/`, 500),
    startTimeoutMs: 10_000,
  };
}

/** The contract's ports (CONTRACT.md) and the brokers' metrics ports, which no instance may take. */
const contractPorts = [9092, 9093, 9094, 9095, 9096, 9097, 8080, 8081, 8000, 2525, 3000, 9090, 9411, 16686, 9404, 9406, 9408];
const servicePorts = { "user-service": 8080, "order-service": 8081, "notification-service": 8000, "analytics-service": 3000 };

describe("instances", () => {
  test("instance i of a service listens on its port + 100*(i-1), unless <NAME>_<i>_PORT says otherwise", () => {
    const env = createStackEnv(1, { ORDER_SERVICE_3_PORT: "18003" });
    expect(instanceEnv(env, "order-service", 2).port("ORDER_SERVICE_PORT", 8081)).toBe(8181);
    expect(instanceEnv(env, "order-service", 3).port("ORDER_SERVICE_PORT", 8081)).toBe(18003);
    // Other variables (the broker's, the SMTP sink's) are left alone.
    expect(instanceEnv(env, "order-service", 2).port("SMTP_SINK_PORT", 2525)).toBe(2525);
    expect(instanceEnv(env, "order-service", 2).KAFKA_BOOTSTRAP_SERVERS).toBe("127.0.0.1:9092");
    // A moved instance 1 moves the others with it.
    expect(instanceEnv(createStackEnv(1, { ORDER_SERVICE_PORT: "18081" }), "order-service", 2).port("ORDER_SERVICE_PORT", 8081)).toBe(18181);
    expect(() => instanceEnv(createStackEnv(1, { ORDER_SERVICE_2_PORT: "x" }), "order-service", 2).port("ORDER_SERVICE_PORT", 8081)).toThrow(/ORDER_SERVICE_2_PORT=x is not a port number/);
  });

  test("no instance port of any service clashes with the contract's ports or another instance", () => {
    const env = createStackEnv(1, {});
    const taken = new Map<number, string>(contractPorts.map((p) => [p, "contract"]));
    for (const [name, port] of Object.entries(servicePorts)) {
      for (let i = 2; i <= maxInstances; i++) {
        const p = instanceEnv(env, name, i).port(portVariable(name), port);
        expect(taken.get(p), `${name}-${i} on ${p}`).toBeUndefined();
        taken.set(p, `${name}-${i}`);
      }
    }
  });

  test("an instance has its own name, data dir, log and POLYGLOT_INSTANCE, and keeps the dependencies", () => {
    const base = service("order-service", 8081, ["kafka"]);
    const second = instanceComponent(base, 2);
    const ctx: StackContext = createStackContext({ root: "/repo", stateDir: "/state", ci: true }, createStackEnv(1, {}), silentProgress);
    expect(second).toMatchObject({ name: "order-service-2", instanceOf: "order-service", dependsOn: ["kafka"] });
    // An instance does not scale again.
    expect(second.scalable).toBeUndefined();
    expect(second.ports(ctx.env)).toEqual([8181]);
    expect(second.url?.(ctx.env)).toBe("http://127.0.0.1:8181");
    expect(second.process(ctx)).toMatchObject({ cwd: "/state/data/order-service-2", env: { HTTP_PORT: "8181", DATA_DIR: "/state/data/order-service-2", POLYGLOT_INSTANCE: "order-service-2" } });
  });

  test("withInstances puts each service's instances after it; only scalable components grow", () => {
    const names = withInstances([service("a", 1), { ...service("b", 2), scalable: false }], { a: 3, b: 2 }).map((c) => c.name);
    expect(names).toEqual(["a", "a-2", "a-3", "b"]);
    expect(() => checkScale([service("a", 1)], { z: 2 })).toThrow(StackError);
    expect(() => checkScale([{ ...service("b", 2), scalable: false }], { b: 2 })).toThrow(/b cannot run as several instances/);
    expect(() => checkScale([{ ...service("b", 2), scalable: false }], { b: 1 })).not.toThrow();
  });

  // The scale-out e2e test once asked for `env.port("ORDER_SERVICE_PORT", 0)`: right wherever the
  // variable was set, but http://127.0.0.1:0 on CI's default ports, where it is not.
  test("instanceUrl of the real services: the contract's ports when no *_PORT variable is set, else the moved ones", () => {
    const defaults = createStackEnv(1, {});
    const components = stackComponents(defaults);
    expect(instanceUrl(components, defaults, "order-service", 1)).toBe("http://127.0.0.1:8081");
    expect(instanceUrl(components, defaults, "order-service", 2)).toBe("http://127.0.0.1:8181");
    expect(instanceUrl(components, defaults, "notification-service", 1)).toBe("http://127.0.0.1:8000");
    expect(instanceUrl(components, defaults, "notification-service", 2)).toBe("http://127.0.0.1:8100");
    // Each matches the port the instance is started on (and recorded with in the state).
    for (const c of withInstances(components, { "order-service": 3, "notification-service": 2 })) {
      const service = c.instanceOf ?? c.name;
      if (service !== "order-service" && service !== "notification-service") continue;
      const index = c.instanceOf === undefined ? 1 : Number(c.name.slice(service.length + 1));
      expect(instanceUrl(components, defaults, service, index), c.name).toBe(`http://127.0.0.1:${c.ports(defaults)[0]}`);
    }

    const moved = createStackEnv(1, { ORDER_SERVICE_PORT: "24081", ORDER_SERVICE_3_PORT: "24500" });
    expect(instanceUrl(stackComponents(moved), moved, "order-service", 1)).toBe("http://127.0.0.1:24081");
    expect(instanceUrl(stackComponents(moved), moved, "order-service", 2)).toBe("http://127.0.0.1:24181");
    expect(instanceUrl(stackComponents(moved), moved, "order-service", 3)).toBe("http://127.0.0.1:24500");

    expect(() => instanceUrl(components, defaults, "no-such-service", 1)).toThrow(/no component 'no-such-service'/);
    expect(() => instanceUrl(components, defaults, "order-service", 0)).toThrow(/no instance 0/);
    expect(() => instanceUrl(components, defaults, "zipkin", 2)).toThrow(/zipkin cannot run as several instances/);
  });

  test("--scale parses NAME=N lists, repeated or comma-separated, and refuses the rest", () => {
    expect(parseScale(["order-service=2,notification-service=3"])).toEqual({ "order-service": 2, "notification-service": 3 });
    expect(parseScale(["a=2", "b=1"])).toEqual({ a: 2, b: 1 });
    for (const bad of ["a", "a=0", "a=10", "a=x", "A=2", "a=2,a=3"]) expect(() => parseScale([bad]), bad).toThrow(UsageError);
  });
});

describe("up --scale, status and down with instances", () => {
  test("N instances start with their own ports, data dirs and pids; down NAME-2 stops one, up brings it back, down stops all", async () => {
    const ctx = context();
    const [db = 0, web = 0, web2 = 0, web3 = 0] = await freePorts(4);
    const components = (): readonly Component[] => [service("web", web, ["db"]), { ...service("db", db), scalable: false }];
    const vars = { WEB_2_PORT: String(web2), WEB_3_PORT: String(web3) };
    const first = await startStack(ctx, { brokers: 1, vars, components, scale: { web: 3 } });
    expect(first).toMatchObject({ kind: "started", started: ["web", "web-2", "web-3", "db"] });
    const state = await readState(ctx.stateDir);
    expect(state?.scale).toEqual({ web: 3 });
    expect(state?.components.find((c) => c.name === "web-3")).toMatchObject({ ports: [web3], url: `http://127.0.0.1:${web3}`, summary: "fake web, instance 3" });
    expect(await (await fetch(`http://127.0.0.1:${web2}/`)).text()).toBe(`${path.join(ctx.stateDir, "data", "web-2")} web-2`);
    expect(readdirSync(path.join(ctx.stateDir, "logs")).sort()).toEqual(["db.log", "web-2.log", "web-3.log", "web.log"]);
    expect(readdirSync(path.join(ctx.stateDir, "run")).sort()).toEqual(["db.pid", "stack.json", "web-2.pid", "web-3.pid", "web.pid"]);

    // A lower scale is refused while the surplus instance runs.
    await expect(startStack(ctx, { brokers: 1, vars, components, scale: { web: 2 } })).rejects.toThrow(/web-3 is running, more instances than --scale asks for/);

    const one = await stopStack(ctx, ["web-2"]);
    expect(one.map((s) => `${s.name}:${s.how}`)).toEqual(["web-2:stopped"]);
    expect(await alive(one[0]?.pid ?? 0)).toBe(false);
    expect((await readState(ctx.stateDir))?.components.map((c) => c.name).sort()).toEqual(["db", "web", "web-3"]);

    // A later up without --scale keeps the stack's scale and starts only the missing instance.
    const again = await startStack(ctx, { brokers: 1, vars, components });
    expect(again).toMatchObject({ kind: "started", started: ["web-2"] });

    const all = await stopStack(ctx);
    expect(all.map((s) => s.name).sort()).toEqual(["db", "web", "web-2", "web-3"]);
    expect(all.every((s) => s.how === "stopped")).toBe(true);
    expect(await readState(ctx.stateDir)).toBeUndefined();
  });

  test("--only NAME takes NAME's instances along", async () => {
    const ctx = context();
    const [a = 0, a2 = 0, b = 0] = await freePorts(3);
    const components = (): readonly Component[] => [service("api", a), service("other", b)];
    const outcome = await startStack(ctx, { brokers: 1, vars: { API_2_PORT: String(a2) }, components, scale: { api: 2 }, only: ["api"] });
    expect(outcome).toMatchObject({ kind: "started", started: ["api", "api-2"] });
    await stopStack(ctx);
  });
});
