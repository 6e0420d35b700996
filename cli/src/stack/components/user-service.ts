// user-service (Java 17 bytecode, Spring Boot): built by Maven into one executable jar. The jar
// is rebuilt only when its sources, pom or the schemas it compiles are newer. The process runs
// the jar extracted under .polyglot/ (Spring Boot's `-Djarmode=tools extract`: plain jars on the
// class path load faster than nested ones, an AOT cache needs them, and a build during the tests,
// which packages the jar again, never rewrites the files of a running service).
// With a JDK 25 on the machine it runs on that JDK with an AOT cache made by a training run
// (`-Dspring.context.exit=onRefresh`: the context starts, then the JVM exits and writes the
// cache); otherwise on JAVA_HOME's JDK, as before. C1 only either way: with C2 on, its compiler
// thread spent about 9 CPU-s in the first minutes (18 CPU-ms per chain over a 100-chain run at
// 5/s, user-service 33-51 CPU-ms per chain instead of about 15), more than C2's faster code
// saves on a service whose per-request work is this light.
import { existsSync } from "node:fs";
import { mkdir, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { buildDir } from "../build-dir.js";
import type { Component, StackContext, StackEnv } from "../component.js";
import { aotCache, aotFlags, aotJava } from "../jvm/aot-cache.js";
import { javaCommand } from "../kafka/storage.js";
import { httpOk } from "../probes.js";
import { databaseUrl, usesPostgres } from "./postgres.js";
import { zipkinSpansUrl } from "./zipkin.js";

const port = (env: StackEnv): number => env.port("USER_SERVICE_PORT", 8080);
const serviceDir = (ctx: StackContext): string => path.join(ctx.root, "services", "user-service");
const jarFile = (ctx: StackContext): string => path.join(serviceDir(ctx), "target", "user-service.jar");
// Shared by every stack (build-dir.ts): its AOT cache is made for this very classpath.
export const userServiceAppDir = (root: string): string => buildDir(root, "user-service", "app");
const appDir = (ctx: StackContext): string => userServiceAppDir(ctx.root);
const runJar = (ctx: StackContext): string => path.join(appDir(ctx), "user-service.jar");

/** C1 only (see above); a small heap and the serial collector suit a 2-core dev machine. */
const jvmFlags = ["-Xms64m", "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true"] as const;

/** How prepare() chose to run it: on a JDK 25 with its AOT cache, or on JAVA_HOME's JDK. */
let launch: { readonly java: string; readonly flags: readonly string[] } | undefined;

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
  // Its outbox keeps events until the broker answers, so the JVM starts beside the broker instead
  // of after it (start-up is the longest of the stack); `down` still stops it before the broker.
  startsBeside: ["kafka"],
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
    await extract(ctx);
    launch = await chooseLaunch(ctx);
  },

  process(ctx) {
    return {
      command: launch?.java ?? javaCommand(ctx.env.vars),
      args: [...(launch?.flags ?? []), ...jvmFlags, "-jar", runJar(ctx)],
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

/** Extracts the jar into .polyglot/user-service/app/ unless that holds this build already. */
async function extract(ctx: StackContext): Promise<void> {
  const stamp = path.join(appDir(ctx), ".extracted");
  if (existsSync(stamp) && (await stat(jarFile(ctx))).mtimeMs <= (await stat(stamp)).mtimeMs) return;
  ctx.progress.update("extracting the user-service jar");
  const fresh = `${appDir(ctx)}.${process.pid}.tmp`;
  await rm(fresh, { recursive: true, force: true });
  await mkdir(path.dirname(fresh), { recursive: true });
  await ctx.exec({
    command: javaCommand(ctx.env.vars),
    args: ["-Djarmode=tools", "-jar", jarFile(ctx), "extract", "--destination", fresh],
    cwd: serviceDir(ctx),
    hint: "delete .polyglot/user-service and run ./polyglot up again",
  });
  await writeFile(path.join(fresh, ".extracted"), "");
  await rm(appDir(ctx), { recursive: true, force: true });
  await rename(fresh, appDir(ctx));
}

/** The JDK 25 and its AOT cache when both can be had; otherwise JAVA_HOME's JDK. */
async function chooseLaunch(ctx: StackContext): Promise<{ readonly java: string; readonly flags: readonly string[] }> {
  const fallback = { java: javaCommand(ctx.env.vars), flags: [] };
  const java = await aotJava(ctx.env.vars);
  if (java === undefined) return fallback;
  const lib = path.join(appDir(ctx), "lib");
  const scratch = path.join(os.tmpdir(), `polyglot-user-service-training-${process.pid}`);
  const cache = await aotCache(
    ctx,
    {
      name: "user-service",
      java,
      inputs: [runJar(ctx), ...(await readdir(lib)).sort().map((n) => path.join(lib, n))],
      async process(output) {
        await rm(scratch, { recursive: true, force: true });
        await mkdir(scratch, { recursive: true });
        return {
          command: java,
          args: [`-XX:AOTCacheOutput=${output}`, "-Dspring.context.exit=onRefresh", ...jvmFlags, "-jar", runJar(ctx)],
          cwd: scratch,
          // Its own H2 database and any free port: the context starts without a broker or trace backend.
          env: { HTTP_PORT: "0", DATA_DIR: scratch, KAFKA_BOOTSTRAP_SERVERS: "127.0.0.1:9", ZIPKIN_ENDPOINT: "http://127.0.0.1:9/api/v2/spans", DATABASE_URL: "" },
        };
      },
    },
    jvmFlags,
  );
  await rm(scratch, { recursive: true, force: true });
  return cache === undefined ? fallback : { java, flags: aotFlags(cache) };
}
