// analytics-service (TypeScript, Node) and its dashboard: `npm ci` when the lock changed,
// `npm run build` (tsc + vite) when a source changed, then `node dist/main.js` on the CLI's Node.
import { existsSync, readdirSync, statSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { Component, StackContext, StackEnv } from "../component.js";
import { httpOk } from "../probes.js";
import { needsInstall } from "../../suites/vitest-suite.js";
import { scrapedPort } from "../observability/prometheus-config.js";
import { smtpSinkUrl } from "./smtp-sink.js";
import { zipkinSpansUrl } from "./zipkin.js";

export const analyticsDir = path.join("services", "analytics-service");
const name = "analytics-service";
const port = (env: StackEnv): number => env.port("ANALYTICS_SERVICE_PORT", 3000);

/** The newest modification time under `paths`, node_modules and build output left out. */
function newestMtime(paths: readonly string[]): number {
  let newest = 0;
  const visit = (p: string): void => {
    if (!existsSync(p)) return;
    const stat = statSync(p);
    newest = Math.max(newest, stat.mtimeMs);
    if (!stat.isDirectory()) return;
    for (const entry of readdirSync(p)) {
      if (entry === "node_modules" || entry === "dist") continue;
      visit(path.join(p, entry));
    }
  };
  paths.forEach(visit);
  return newest;
}

const stampFile = (dir: string): string => path.join(dir, "dist", ".built");

/** True when a source, the lock or a tsconfig changed since the last `npm run build`. */
export function buildNeeded(dir: string): boolean {
  const stamp = stampFile(dir);
  const sources = ["src", "dashboard", "package-lock.json", "tsconfig.json", "tsconfig.build.json"].map((p) => path.join(dir, p));
  return !existsSync(stamp) || statSync(stamp).mtimeMs < newestMtime(sources);
}

export async function markBuilt(dir: string): Promise<void> {
  await writeFile(stampFile(dir), "");
}

async function prepare(ctx: StackContext): Promise<void> {
  const dir = path.join(ctx.root, analyticsDir);
  if (needsInstall(dir)) {
    ctx.progress.update(`${name}: npm ci`);
    await ctx.exec({
      command: "npm",
      args: ["ci", "--no-audit", "--no-fund", "--loglevel=error"],
      cwd: dir,
      hint: "check that the npm registry is reachable, then run ./polyglot up again",
    });
  }
  if (!buildNeeded(dir)) return;
  ctx.progress.update(`${name}: building (tsc + vite)`);
  await ctx.exec({
    command: "npm",
    args: ["run", "build"],
    cwd: dir,
    hint: `fix the TypeScript errors above (cd ${analyticsDir} && npm run build), then run ./polyglot up again`,
  });
  await markBuilt(dir);
}

export const analyticsService: Component = {
  name,
  summary: "analytics-service + dashboard (TypeScript, Node)",
  dependsOn: ["kafka"],
  ports: (env) => [port(env)],
  url: (env) => `http://127.0.0.1:${port(env)}/dashboard/`,
  prepare,
  process: (ctx) => ({
    // The Node the CLI runs on (the pinned 24.x), not whatever `node` the PATH finds first.
    command: process.execPath,
    args: ["dist/main.js"],
    cwd: path.join(ctx.root, analyticsDir),
    env: {
      KAFKA_BOOTSTRAP_SERVERS: ctx.env.KAFKA_BOOTSTRAP_SERVERS,
      HTTP_PORT: String(port(ctx.env)),
      DATA_DIR: ctx.dataDir(name),
      LOG_LEVEL: ctx.env.vars["LOG_LEVEL"] ?? "info",
      // For the dashboard's admin panel, which reaches the other services through analytics-service.
      USER_SERVICE_URL: `http://127.0.0.1:${ctx.env.port("USER_SERVICE_PORT", 8080)}`,
      ORDER_SERVICE_URL: `http://127.0.0.1:${ctx.env.port("ORDER_SERVICE_PORT", 8081)}`,
      NOTIFICATION_SERVICE_URL: `http://127.0.0.1:${ctx.env.port("NOTIFICATION_SERVICE_PORT", 8000)}`,
      MAIL_SINK_URL: smtpSinkUrl(ctx.env),
      // Traces to Zipkin; the chain view links to its UI, the Operations view reads Prometheus.
      ZIPKIN_ENDPOINT: zipkinSpansUrl(ctx.env),
      ZIPKIN_UI_URL: `http://127.0.0.1:${scrapedPort(ctx.env, "zipkin")}/zipkin`,
      PROMETHEUS_URL: `http://127.0.0.1:${scrapedPort(ctx.env, "prometheus")}`,
    },
  }),
  healthy: (ctx) => httpOk(`http://127.0.0.1:${port(ctx.env)}/health`),
};
