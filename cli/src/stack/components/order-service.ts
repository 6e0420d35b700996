// order-service (Go): built with `go build` into .polyglot/bin, then run as that binary.
// Go's build cache makes a build with nothing changed take about a second, so `prepare`
// always asks go; the first build compiles modernc.org/sqlite (pure Go, a few minutes on 2
// cores) and shows each package as progress.
import path from "node:path";
import type { Component, StackContext, StackEnv } from "../component.js";
import { httpOk } from "../probes.js";

const name = "order-service";

const port = (env: StackEnv): number => env.port("ORDER_SERVICE_PORT", 8081);
const serviceDir = (ctx: StackContext): string => path.join(ctx.root, "services", name);
const binary = (ctx: StackContext): string => path.join(ctx.stateDir, "bin", name);

export const orderService: Component = {
  name,
  summary: "order-service (Go)",
  dependsOn: ["kafka"],
  ports: (env) => [port(env)],
  url: (env) => `http://127.0.0.1:${port(env)}`,

  async prepare(ctx) {
    ctx.progress.update(`${name}: go build (the first build compiles SQLite and takes a few minutes)`);
    await ctx.exec({
      command: "go",
      args: ["build", "-v", "-o", binary(ctx), "./cmd/order-service"],
      cwd: serviceDir(ctx),
      hint: "go downloads modules from the Go module proxy on the first build: check the network, then run ./polyglot up again",
    });
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
      },
    };
  },

  healthy: (ctx) => httpOk(`http://127.0.0.1:${port(ctx.env)}/health`),
};
