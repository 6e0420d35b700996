// The trace backend: Zipkin's server jar from Maven Central, run with `java -jar`, in-memory
// storage bounded to a fixed number of spans, UI at /zipkin/. Services send spans to
// /api/v2/spans (infra/zipkin/README.md).
import path from "node:path";
import type { Component, StackContext, StackEnv } from "../component.js";
import { javaCommand } from "../kafka/storage.js";
import { mavenJar } from "../observability/maven-jar.js";
import { scrapedPort } from "../observability/prometheus-config.js";
import { httpOk } from "../probes.js";

/** Spans kept in memory; the oldest traces are dropped beyond it. 50 000 spans fit in the heap below. */
const maxSpans = 50_000;

let jar: string | undefined;

/** Where services post their spans: a service's component passes it as `ZIPKIN_ENDPOINT` (infra/zipkin/README.md). */
export function zipkinSpansUrl(env: StackEnv): string {
  return `http://127.0.0.1:${scrapedPort(env, "zipkin")}/api/v2/spans`;
}

export const zipkin: Component = {
  name: "zipkin",
  summary: "Zipkin 3.6 trace backend (in memory)",
  dependsOn: [],
  ports: (env) => [scrapedPort(env, "zipkin")],
  url: (env) => `http://127.0.0.1:${scrapedPort(env, "zipkin")}/zipkin/`,
  startTimeoutMs: 90_000,

  async prepare(ctx) {
    jar = await mavenJar(ctx, {
      name: "zipkin",
      pom: path.join("infra", "zipkin", "pom.xml"),
      file: "zipkin-server.jar",
      what: "the Zipkin server (135 MB on the first run)",
    });
  },

  process(ctx: StackContext) {
    if (jar === undefined) throw new Error("zipkin: process() called before prepare()");
    const port = scrapedPort(ctx.env, "zipkin");
    return {
      command: javaCommand(ctx.env.vars),
      args: [
        "-Xms64m",
        "-Xmx256m",
        // Serial GC: one small heap on a 2-core machine shared with four services and a broker.
        "-XX:+UseSerialGC",
        "-XX:+ExitOnOutOfMemoryError",
        "-jar",
        jar,
        // Loopback only, like every other component of the stack.
        `--armeria.ports[0].ip=127.0.0.1`,
        `--armeria.ports[0].port=${port}`,
        "--armeria.ports[0].protocols[0]=http",
      ],
      cwd: ctx.dataDir("zipkin"),
      env: {
        STORAGE_TYPE: "mem",
        MEM_MAX_SPANS: String(maxSpans),
        QUERY_PORT: String(port),
        // Zipkin must not trace its own requests into itself.
        SELF_TRACING_ENABLED: "false",
      },
    };
  },

  healthy: (ctx) => httpOk(`http://127.0.0.1:${scrapedPort(ctx.env, "zipkin")}/health`),
};
