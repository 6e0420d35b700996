// user-service (Java 17, Spring Boot): built by Maven into one executable jar, started with
// `java -jar`. The jar is rebuilt only when its sources, pom or the schemas it compiles are newer.
// The process runs a copy under .polyglot/, so that a build during the tests (the Java
// integration suites package the jar again) never rewrites the jar of a running service.
import { existsSync } from "node:fs";
import { copyFile, mkdir, readdir, rename, stat } from "node:fs/promises";
import path from "node:path";
import type { Component, StackContext, StackEnv } from "../component.js";
import { javaCommand } from "../kafka/storage.js";
import { httpOk } from "../probes.js";
import { databaseUrl, usesPostgres } from "./postgres.js";
import { zipkinSpansUrl } from "./zipkin.js";

const port = (env: StackEnv): number => env.port("USER_SERVICE_PORT", 8080);
const serviceDir = (ctx: StackContext): string => path.join(ctx.root, "services", "user-service");
const jarFile = (ctx: StackContext): string => path.join(serviceDir(ctx), "target", "user-service.jar");
const runJar = (ctx: StackContext): string => path.join(ctx.stateDir, "user-service", "user-service.jar");

/** The newest modification time of a file, or of any file under a directory. */
async function newestMtime(entry: string): Promise<number> {
  const info = await stat(entry);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const name of await readdir(entry, { recursive: true })) {
    newest = Math.max(newest, (await stat(path.join(entry, name))).mtimeMs);
  }
  return newest;
}

async function jarIsCurrent(ctx: StackContext): Promise<boolean> {
  const jar = jarFile(ctx);
  if (!existsSync(jar)) return false;
  const inputs = [path.join(serviceDir(ctx), "pom.xml"), path.join(serviceDir(ctx), "src", "main"), path.join(ctx.root, "schemas", "proto")];
  const newestInput = Math.max(...(await Promise.all(inputs.map(newestMtime))));
  return newestInput <= (await stat(jar)).mtimeMs;
}

export const userService: Component = {
  name: "user-service",
  summary: "user-service (Java, Spring Boot)",
  dependsOn: ["kafka"],
  ports: (env) => [port(env)],
  url: (env) => `http://127.0.0.1:${port(env)}`,
  // A cold JVM with Spring on 2 busy cores (the other services start beside it) needs a while.
  startTimeoutMs: 120_000,
  // server.shutdown=graceful waits up to 20 s for in-flight requests.
  stopTimeoutMs: 25_000,

  async prepare(ctx) {
    if (await jarIsCurrent(ctx)) {
      ctx.progress.update("user-service jar is up to date");
    } else {
      ctx.progress.update("building user-service with Maven (the first build downloads Spring Boot into ~/.m2)");
      await ctx.exec({
        command: "mvn",
        args: ["-B", "package", "-DskipTests"],
        cwd: serviceDir(ctx),
        hint: "run `mvn -B package -DskipTests` in services/user-service to see the whole error",
      });
    }
    const target = runJar(ctx);
    if (!existsSync(target) || (await stat(jarFile(ctx))).mtimeMs > (await stat(target)).mtimeMs) {
      await mkdir(path.dirname(target), { recursive: true });
      // Copy, then rename: a process still running the old copy keeps its file.
      await copyFile(jarFile(ctx), `${target}.tmp`);
      await rename(`${target}.tmp`, target);
    }
  },

  process(ctx) {
    return {
      command: javaCommand(ctx.env.vars),
      args: [
        // Small heap and a quick start: C1 only and the serial collector suit a 2-core dev machine.
        "-Xms64m",
        "-Xmx256m",
        "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC",
        "-XX:+ExitOnOutOfMemoryError",
        "-Djava.awt.headless=true",
        "-jar",
        runJar(ctx),
      ],
      cwd: serviceDir(ctx),
      env: {
        HTTP_PORT: String(port(ctx.env)),
        KAFKA_BOOTSTRAP_SERVERS: ctx.env.KAFKA_BOOTSTRAP_SERVERS,
        DATA_DIR: ctx.dataDir("user-service"),
        ZIPKIN_ENDPOINT: zipkinSpansUrl(ctx.env),
        // With `up --postgres` the stack's cluster; otherwise H2 under DATA_DIR.
        ...(usesPostgres(ctx.env) ? { DATABASE_URL: databaseUrl(ctx) } : {}),
      },
    };
  },

  healthy: (ctx) => httpOk(`http://127.0.0.1:${port(ctx.env)}/actuator/health`),
};
