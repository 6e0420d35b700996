// The trace backend: Zipkin's server jar from Maven Central, run with `java -jar`, in-memory
// storage bounded to a fixed number of spans, UI at /zipkin/. Services send spans to
// /api/v2/spans (infra/zipkin/README.md).
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import type { Component, StackContext, StackEnv } from "../component.js";
import { aotCache, aotDir, aotFlags, aotJava } from "../jvm/aot-cache.js";
import { javaCommand } from "../kafka/storage.js";
import { mavenJar } from "../observability/maven-jar.js";
import { scrapedPort } from "../observability/prometheus-config.js";
import { httpOk } from "../probes.js";
import { freePorts } from "../test-stack.js";

/** Spans kept in memory; the oldest traces are dropped beyond it. 50 000 spans fit in the heap below. */
const maxSpans = 50_000;

/** A heap that holds maxSpans; the serial collector: one small heap on a 2-core machine shared with four services and a broker. */
const jvmFlags = ["-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError"] as const;

let jar: string | undefined;
let launch: { readonly java: string; readonly flags: readonly string[] } | undefined;

/** Its settings, from the environment (Zipkin's own variables). */
const settings = (port: number): Record<string, string> => ({
  STORAGE_TYPE: "mem",
  MEM_MAX_SPANS: String(maxSpans),
  QUERY_PORT: String(port),
  // Zipkin must not trace its own requests into itself.
  SELF_TRACING_ENABLED: "false",
});

/** Loopback only, like every other component of the stack. */
const listenOn = (port: number): string[] => ["--armeria.ports[0].ip=127.0.0.1", `--armeria.ports[0].port=${port}`, "--armeria.ports[0].protocols[0]=http"];

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
    launch = await chooseLaunch(ctx, jar);
  },

  process(ctx: StackContext) {
    if (jar === undefined) throw new Error("zipkin: process() called before prepare()");
    const port = scrapedPort(ctx.env, "zipkin");
    return {
      command: launch?.java ?? javaCommand(ctx.env.vars),
      args: [...(launch?.flags ?? []), ...jvmFlags, "-jar", jar, ...listenOn(port)],
      cwd: ctx.dataDir("zipkin"),
      env: settings(port),
    };
  },

  healthy: (ctx) => httpOk(`http://127.0.0.1:${scrapedPort(ctx.env, "zipkin")}/health`),
};

/**
 * JDK 25 and an AOT cache when both can be had (see jvm/aot-cache.ts), else JAVA_HOME's JDK. The
 * training run is a Zipkin on a free port, stopped once it is healthy and has taken a span.
 */
async function chooseLaunch(ctx: StackContext, serverJar: string): Promise<{ readonly java: string; readonly flags: readonly string[] }> {
  const fallback = { java: javaCommand(ctx.env.vars), flags: [] };
  const java = await aotJava(ctx.env.vars);
  if (java === undefined) return fallback;
  const dir = path.join(aotDir(ctx), `zipkin-training-${process.pid}`);
  let port = 0;
  const cache = await aotCache(
    ctx,
    {
      name: "zipkin",
      java,
      inputs: [serverJar],
      async process(output) {
        [port = 0] = await freePorts(1);
        await mkdir(dir, { recursive: true });
        return { command: java, args: [`-XX:AOTCacheOutput=${output}`, ...jvmFlags, "-jar", serverJar, ...listenOn(port)], cwd: dir, env: settings(port) };
      },
      exercised: async () => (await httpOk(`http://127.0.0.1:${port}/health`)) && (await postSpan(port)),
    },
    jvmFlags,
  );
  await rm(dir, { recursive: true, force: true });
  return cache === undefined ? fallback : { java, flags: aotFlags(cache) };
}

/** Posts one span, so that the training run also loads what receiving spans needs. */
async function postSpan(port: number): Promise<boolean> {
  const span = { traceId: "0af7651916cd43dd8448eb211c80319c", id: "b7ad6b7169203331", name: "training", timestamp: Date.now() * 1000, duration: 1000, localEndpoint: { serviceName: "polyglot" } };
  try {
    const response = await fetch(`http://127.0.0.1:${port}/api/v2/spans`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify([span]), signal: AbortSignal.timeout(5_000) });
    return response.ok;
  } catch {
    return false;
  }
}
