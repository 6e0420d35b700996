// order-service (Go): built with `go build` into .polyglot/bin, then run as that binary.
// The first build compiles modernc.org/sqlite (pure Go, about two minutes on 2 cores) and
// shows each package as progress; a warm `up` with nothing changed skips it (go-build.ts).
import path from "node:path";
import { buildDir } from "../build-dir.js";
import type { Component, StackContext, StackEnv } from "../component.js";
import { buildGoBinary } from "../go-build.js";
import { httpOk } from "../probes.js";
import { zipkinSpansUrl } from "./zipkin.js";

const name = "order-service";

const port = (env: StackEnv): number => env.port("ORDER_SERVICE_PORT", 8081);
const serviceDir = (ctx: StackContext): string => path.join(ctx.root, "services", name);
const binary = (ctx: StackContext): string => buildDir(ctx.root, "bin", name);

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

  prepare: (ctx) =>
    buildGoBinary(ctx, {
      dir: serviceDir(ctx),
      pkg: "./cmd/order-service",
      binary: binary(ctx),
      building: `${name}: go build (the first build compiles SQLite and takes about two minutes)`,
      hint: "go downloads modules from the Go module proxy on the first build: check the network, then run ./polyglot up again",
    }),

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
