// PostgreSQL for user-service, started only when asked: `./polyglot up --postgres` (or
// POLYGLOT_DATABASE=postgres). A cluster of Debian's postgresql (installed when missing) under
// .polyglot/postgres/ (as root: under the postgres account's home, see clusterDir), listening on 127.0.0.1 only, POSTGRES_PORT (5432); user-service then gets
// DATABASE_URL and starts after it. Without the flag user-service keeps its embedded H2 database.
// The choice is kept with the running stack (state.ts), so a later `up` or `down` sees it too.
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { chmod, chown, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import type { Component, StackContext, StackEnv } from "../component.js";
import { asRoot, ensurePostgres, postgresAccount, postgresBin, postgresHome } from "../postgres/install.js";
import { StackError } from "../stack-error.js";

/** The variable that picks user-service's database; `up --postgres` sets it. */
export const databaseVar = "POLYGLOT_DATABASE";
/** The database user-service keeps its tables in (Flyway creates them). */
export const databaseName = "user_service";

const port = (env: StackEnv): number => env.port("POSTGRES_PORT", 5432);
/**
 * Where the cluster lives: `<state dir>/postgres`, except when this CLI runs as root. The
 * cluster then belongs to the `postgres` account, which cannot enter a checkout under a folder
 * like /root, so it goes under that account's home, one folder per state dir. A cluster already
 * made in the state dir stays where it is.
 */
export function clusterDir(stateDir: string): string {
  const inState = path.join(stateDir, "postgres");
  if (!asRoot() || existsSync(path.join(inState, "data", "PG_VERSION"))) return inState;
  return path.join(postgresHome(), `polyglot-${createHash("sha256").update(path.resolve(stateDir)).digest("hex").slice(0, 12)}`);
}
const dataDir = (stateDir: string): string => path.join(clusterDir(stateDir), "data");
const passwordFile = (stateDir: string): string => path.join(clusterDir(stateDir), "password");

/** True when the stack runs user-service on PostgreSQL; any value but `postgres` or `embedded` is refused. */
export function usesPostgres(env: StackEnv): boolean {
  const value = env.vars[databaseVar];
  if (value === undefined || value === "" || value === "embedded") return false;
  if (value === "postgres") return true;
  throw new StackError(`${databaseVar}=${value} is not a database of this stack`, `set ${databaseVar} to postgres or embedded (the default), or unset it`);
}

/** The `DATABASE_URL` user-service gets: the stack's cluster, its database and the generated password. */
export function databaseUrl(ctx: Pick<StackContext, "env" | "stateDir">): string {
  const password = readFileSync(passwordFile(ctx.stateDir), "utf8").trim();
  return `jdbc:postgresql://127.0.0.1:${port(ctx.env)}/${databaseName}?user=postgres&password=${encodeURIComponent(password)}`;
}

/** A PostgreSQL tool, run as the `postgres` account when this CLI runs as root (they refuse root). */
function tool(bin: string, name: string, args: readonly string[]): { command: string; args: string[] } {
  const file = path.join(bin, name);
  return asRoot() ? { command: "setpriv", args: ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", file, ...args] } : { command: file, args: [...args] };
}

/** The bin directory of the major version that made the cluster (PG_VERSION), which may not be the newest installed. */
async function clusterBin(stateDir: string): Promise<string> {
  const major = (await readFile(path.join(dataDir(stateDir), "PG_VERSION"), "utf8")).trim();
  const bin = await postgresBin(major);
  if (bin === undefined) {
    throw new StackError(`the cluster in ${dataDir(stateDir)} was made by PostgreSQL ${major}, which is not installed`, `install postgresql-${major}, or remove ${clusterDir(stateDir)} (its data goes with it), then run ./polyglot up --postgres again`);
  }
  return bin;
}

let bin: string | undefined;

async function psql(ctx: StackContext, sql: string): Promise<string> {
  const password = (await readFile(passwordFile(ctx.stateDir), "utf8")).trim();
  const { stdout } = await execa(path.join(bin ?? (await clusterBin(ctx.stateDir)), "psql"), ["-h", "127.0.0.1", "-p", String(port(ctx.env)), "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-tAc", sql], {
    env: { PGPASSWORD: password, PGCONNECT_TIMEOUT: "5" },
  });
  return stdout.trim();
}

export const postgres: Component = {
  name: "postgres",
  summary: "PostgreSQL (Debian's postgresql) for user-service",
  dependsOn: [],
  ports: (env) => [port(env)],
  url: (env) => `postgresql://127.0.0.1:${port(env)}/${databaseName}`,
  // A fast shutdown checkpoint; the postmaster ends its backends itself.
  stopTimeoutMs: 20_000,

  async prepare(ctx) {
    const newest = await ensurePostgres(ctx);
    const data = dataDir(ctx.stateDir);
    if (existsSync(path.join(data, "PG_VERSION"))) {
      bin = await clusterBin(ctx.stateDir);
      ctx.progress.update(`cluster in ${data} is ready`);
      return;
    }
    ctx.progress.update(`creating a PostgreSQL cluster in ${data}`);
    const dir = clusterDir(ctx.stateDir);
    await mkdir(data, { recursive: true });
    // Password authentication even on loopback: other accounts of the machine reach 127.0.0.1 too.
    await writeFile(passwordFile(ctx.stateDir), `${randomBytes(24).toString("base64url")}\n`, { mode: 0o600 });
    if (asRoot()) {
      const { uid, gid } = postgresAccount();
      for (const entry of [dir, data, passwordFile(ctx.stateDir)]) await chown(entry, uid, gid);
    }
    await chmod(data, 0o700);
    const initdb = tool(newest, "initdb", ["-D", data, "-U", "postgres", "-A", "scram-sha-256", `--pwfile=${passwordFile(ctx.stateDir)}`, "-E", "UTF8", "--locale=C.UTF-8"]);
    await ctx.exec({ ...initdb, cwd: dir, hint: `read the initdb output above; remove ${dir} to start over, then run ./polyglot up --postgres again` });
    bin = newest;
  },

  process(ctx) {
    if (bin === undefined) throw new Error("postgres: process() called before prepare()");
    // In the foreground, so the runner holds the postmaster's pid; TCP on loopback only, no Unix socket.
    const server = tool(bin, "postgres", ["-D", dataDir(ctx.stateDir), "-p", String(port(ctx.env)), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=40"]);
    return { ...server, cwd: clusterDir(ctx.stateDir), env: {} };
  },

  async healthy(ctx) {
    const binDir = bin ?? (await postgresBin());
    if (binDir === undefined) return false;
    const { exitCode } = await execa(path.join(binDir, "pg_isready"), ["-q", "-h", "127.0.0.1", "-p", String(port(ctx.env)), "-t", "2"], { reject: false });
    return exitCode === 0;
  },

  async ready(ctx) {
    if ((await psql(ctx, `SELECT 1 FROM pg_database WHERE datname = '${databaseName}'`)) !== "1") {
      await psql(ctx, `CREATE DATABASE ${databaseName}`);
    }
  },
};
