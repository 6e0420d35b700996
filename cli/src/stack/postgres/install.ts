// PostgreSQL comes from Debian's `postgresql` package. The stack (`up --postgres`) and the
// java-postgres suite run their own clusters with its binaries (/usr/lib/postgresql/<major>/bin),
// never the package's system cluster.
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { execa, execaSync } from "execa";
import type { StackContext } from "../component.js";
import { StackError } from "../stack-error.js";

const installRoot = "/usr/lib/postgresql";

/** The bin directory of an installed major version, or the newest one when `major` is not given. */
export async function postgresBin(major?: string): Promise<string | undefined> {
  const versions = major === undefined ? await readdir(installRoot).catch(() => [] as string[]) : [major];
  return versions
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => path.join(installRoot, v, "bin"))
    .find((bin) => existsSync(path.join(bin, "initdb")) && existsSync(path.join(bin, "postgres")));
}

/** Installs Debian's `postgresql` when no server is installed; returns the newest server's bin directory. */
export async function ensurePostgres(ctx: Pick<StackContext, "progress" | "exec">): Promise<string> {
  const found = await postgresBin();
  if (found !== undefined) return found;
  const manual = "apt-get update && apt-get install -y --no-install-recommends postgresql";
  if (!existsSync("/usr/bin/apt-get")) {
    throw new StackError("PostgreSQL is not installed and this is not a Debian-like system (no apt-get)", `install a PostgreSQL server so that ${installRoot}/<major>/bin/initdb exists, then run the command again`);
  }
  if (process.getuid?.() !== 0) {
    throw new StackError("PostgreSQL is not installed, and installing it needs root", `run: sudo sh -c '${manual}', then run the command again`);
  }
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  const hint = `check that Debian's package mirror is reachable, or run '${manual}' yourself, then run the command again`;
  ctx.progress.update("installing PostgreSQL from Debian's packages (first run only): apt-get update");
  await ctx.exec({ command: "apt-get", args: ["update", "-q"], cwd: "/", env, hint });
  ctx.progress.update("installing PostgreSQL from Debian's packages (first run only): apt-get install postgresql");
  await ctx.exec({ command: "apt-get", args: ["install", "-y", "-q", "--no-install-recommends", "postgresql"], cwd: "/", env, hint });
  await stopSystemCluster();
  const installed = await postgresBin();
  if (installed === undefined) throw new StackError(`apt-get installed postgresql, but no initdb was found under ${installRoot}`, `check ${installRoot}, then run the command again`);
  return installed;
}

/**
 * The package's post-install creates the cluster `main` and starts it on 5432 where an init
 * system allows it; that copy would hold the port the stack's own cluster defaults to.
 */
async function stopSystemCluster(): Promise<void> {
  if (existsSync("/run/systemd/system")) {
    await execa("systemctl", ["disable", "--now", "postgresql.service"], { reject: false });
  } else if (existsSync("/etc/init.d/postgresql")) {
    await execa("/etc/init.d/postgresql", ["stop"], { reject: false });
    await execa("update-rc.d", ["postgresql", "disable"], { reject: false });
  }
}

export interface PostgresAccount {
  readonly uid: number;
  readonly gid: number;
  readonly home: string;
}

let account: PostgresAccount | undefined;

/**
 * The `postgres` account that Debian's package creates, looked up once it exists. Synchronous,
 * since the cluster's paths are computed synchronously (components/postgres.ts).
 */
export function postgresAccount(): PostgresAccount {
  if (account !== undefined) return account;
  const { stdout, exitCode } = execaSync("getent", ["passwd", "postgres"], { reject: false });
  if (exitCode !== 0) throw new StackError("there is no postgres account", "install Debian's postgresql (./polyglot up --postgres installs it)");
  // name:password:uid:gid:gecos:home:shell
  const fields = String(stdout).trim().split(":");
  account = { uid: Number(fields[2]), gid: Number(fields[3]), home: fields[5] || "/var/lib/postgresql" };
  return account;
}

/** The `postgres` account's home folder, or Debian's default for it while the account does not exist yet. */
export function postgresHome(): string {
  try {
    return postgresAccount().home;
  } catch {
    return "/var/lib/postgresql";
  }
}

/** True when this CLI runs as root: PostgreSQL's tools refuse root, so they run as `postgres` then. */
export function asRoot(): boolean {
  return process.getuid?.() === 0;
}
