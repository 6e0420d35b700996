// order-service (Go): built with `go build` into .polyglot/bin, then run as that binary.
// The first build compiles modernc.org/sqlite (pure Go, about two minutes on 2 cores) and
// shows each package as progress. A stamp beside the binary holds the hash of what it was
// built from (go.mod, go.sum, every non-test .go file, the Go version), so a warm `up` with
// nothing changed does not even ask go (whose relink of the binary alone takes seconds).
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import type { Component, StackContext, StackEnv } from "../component.js";
import { httpOk } from "../probes.js";
import { zipkinSpansUrl } from "./zipkin.js";

const name = "order-service";

const port = (env: StackEnv): number => env.port("ORDER_SERVICE_PORT", 8081);
const serviceDir = (ctx: StackContext): string => path.join(ctx.root, "services", name);
const binary = (ctx: StackContext): string => path.join(ctx.stateDir, "bin", name);
const stampFile = (ctx: StackContext): string => `${binary(ctx)}.stamp`;

/** The hash of everything the binary is built from. */
async function sourceHash(dir: string): Promise<string> {
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

export const orderService: Component = {
  name,
  summary: "order-service (Go)",
  dependsOn: ["kafka"],
  // Instances share the group `order-service` and one SQLite database (SHARED_DATA_DIR: users,
  // orders, saga steps), because an order's saga runs on whichever instance owns the partition
  // of its OrderCreatedEvent, not on the one that took the order; each also reads all of
  // user-events outside the group, so any instance can take any user's order at once.
  scalable: true,
  ports: (env) => [port(env)],
  url: (env) => `http://127.0.0.1:${port(env)}`,

  async prepare(ctx) {
    const wanted = await sourceHash(serviceDir(ctx));
    if (existsSync(binary(ctx)) && existsSync(stampFile(ctx)) && (await readFile(stampFile(ctx), "utf8")).trim() === wanted) return;
    ctx.progress.update(`${name}: go build (the first build compiles SQLite and takes about two minutes)`);
    await ctx.exec({
      command: "go",
      args: ["build", "-v", "-o", binary(ctx), "./cmd/order-service"],
      cwd: serviceDir(ctx),
      hint: "go downloads modules from the Go module proxy on the first build: check the network, then run ./polyglot up again",
    });
    await writeFile(stampFile(ctx), `${wanted}\n`);
  },

  // The runner adds `env` to its own environment, so the service's optional settings
  // (LOG_LEVEL, ORDER_SAGA, PAYMENT_LIMIT, ...) reach it when they are set for `up`.
  process(ctx) {
    return {
      command: binary(ctx),
      args: [],
      cwd: serviceDir(ctx),
      env: {
        KAFKA_BOOTSTRAP_SERVERS: ctx.env.KAFKA_BOOTSTRAP_SERVERS,
        HTTP_PORT: String(port(ctx.env)),
        DATA_DIR: ctx.dataDir(name),
        // Not remapped per instance (only the component's own name is): every instance gets the same dir.
        SHARED_DATA_DIR: ctx.dataDir(`${name}-shared`),
        ZIPKIN_ENDPOINT: zipkinSpansUrl(ctx.env),
      },
    };
  },

  healthy: (ctx) => httpOk(`http://127.0.0.1:${port(ctx.env)}/health`),
};
