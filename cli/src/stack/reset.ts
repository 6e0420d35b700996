// What `./polyglot reset` deletes: everything the stack wrote while it ran (broker logs, the
// services' databases, the mail sink, Prometheus' and Zipkin's data, the logs), and nothing it
// installed or built (tools, the Kafka classpath, binaries, jars), nor the throw-away stacks of
// `./polyglot test` or the reports of `./polyglot load`.
import { existsSync } from "node:fs";
import { readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { clusterDir as postgresClusterDir } from "./components/postgres.js";
import { logDir } from "./state.js";

export interface StatePath {
  readonly path: string;
  /** What a person loses with it. */
  readonly what: string;
}

/** The folders that hold the stack's state, whether or not they exist yet. */
export function statePaths(stateDir: string): StatePath[] {
  return [
    { path: path.join(stateDir, "kafka", "single"), what: "the broker's records and metadata (topics, offsets)" },
    { path: path.join(stateDir, "kafka", "cluster-3"), what: "the 3-broker cluster's records and metadata" },
    { path: path.join(stateDir, "data"), what: "the services' databases, the mail sink, Prometheus' and Zipkin's data" },
    { path: postgresClusterDir(stateDir), what: "the PostgreSQL cluster of `up --postgres`" },
    { path: logDir(stateDir), what: "every component's log" },
  ];
}

/** Bytes under `p` (a file or a folder), 0 when it is gone. */
export async function sizeOf(p: string): Promise<number> {
  const info = await stat(p).catch(() => undefined);
  if (info === undefined) return 0;
  if (!info.isDirectory()) return info.size;
  const entries = await readdir(p).catch(() => [] as string[]);
  let total = 0;
  for (const entry of entries) total += await sizeOf(path.join(p, entry));
  return total;
}

/** The state paths that exist now, with their sizes. */
export async function existingState(stateDir: string): Promise<(StatePath & { bytes: number })[]> {
  const found = statePaths(stateDir).filter((s) => existsSync(s.path));
  return Promise.all(found.map(async (s) => ({ ...s, bytes: await sizeOf(s.path) })));
}

export async function deleteState(paths: readonly StatePath[]): Promise<void> {
  for (const p of paths) await rm(p.path, { recursive: true, force: true });
}
