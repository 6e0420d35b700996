// The Java suites of user-service, run by Maven; the test command sums their Surefire/Failsafe XML.
//   java             - unit tests: web slice, mapping, outbox and relay, an embedded KRaft broker,
//                      and the shared protobuf vectors (mvn test)
//   java-integration - the packaged jar as a real process against the run's broker: records read
//                      back exactly, kill -9 between commit and publication, a broker outage (mvn verify)
//   java-postgres    - the same integration tests with the service on PostgreSQL (DATABASE_URL): a
//                      throw-away cluster of Debian's postgresql under .polyglot/test/postgres
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { chown, copyFile, mkdir, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { execa } from "execa";
import { asRoot, ensurePostgres, postgresAccount } from "../stack/postgres/install.js";
import { execStep, silentProgress } from "../stack/stack-context.js";
import { freePorts } from "../stack/test-stack.js";
import type { Suite, SuiteRun } from "./suite.js";

async function runMaven(root: string, reportDir: string, args: readonly string[], reportsFolder: string, env: Record<string, string> = {}): Promise<SuiteRun> {
  const cwd = path.join(root, "services", "user-service");
  const reportsDir = path.join(cwd, "target", reportsFolder);
  // A report left by an earlier run of a since-deleted test class must not be counted.
  await rm(reportsDir, { recursive: true, force: true });
  const { exitCode } = await execa("mvn", ["-B", "--no-transfer-progress", ...args], { cwd, env, stdio: "inherit", reject: false });
  const files = await readdir(reportsDir).catch(() => [] as string[]);
  const reports: string[] = [];
  for (const file of files.filter((f) => f.startsWith("TEST-") && f.endsWith(".xml"))) {
    const target = path.join(reportDir, file);
    await copyFile(path.join(reportsDir, file), target);
    reports.push(target);
  }
  return { exitCode: exitCode ?? 1, reports };
}

/** The suite's Maven goals as a person runs them (the suite adds only -B --no-transfer-progress). */
const mavenCommand = (args: readonly string[]): string => ["cd services/user-service && mvn", ...args].join(" ");

const unitArgs = ["test"];
const integrationArgs = ["verify", "-DskipUnitTests=true"];

export const javaSuite: Suite = {
  name: "java",
  summary: "user-service unit tests and the Java vector test (JUnit 5, Maven)",
  commands: [mavenCommand(unitArgs)],
  run: (ctx, reportDir) => runMaven(ctx.root, reportDir, unitArgs, "surefire-reports"),
};

export const javaIntegrationSuite: Suite = {
  name: "java-integration",
  summary: "user-service as a process on a real broker: exact records, kill -9, broker outage (JUnit 5, Maven)",
  needs: "broker",
  commands: [mavenCommand(integrationArgs)],
  run: (ctx, reportDir) => runMaven(ctx.root, reportDir, integrationArgs, "failsafe-reports"),
};

/** A throw-away PostgreSQL cluster on a free port; initdb refuses root, so it runs as the postgres user then. */
async function startPostgres(stateDir: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const bin = await ensurePostgres({ progress: { update: (line) => console.log(line) }, exec: (step) => execStep(step, silentProgress) });
  const root = asRoot();
  // As root the cluster belongs to the postgres user, who must reach it: a checkout may sit in a
  // folder only root can enter (mktemp -d makes 0700 folders), so it goes under the shared temp dir.
  const dir = root
    ? path.join(os.tmpdir(), `polyglot-postgres-${createHash("sha256").update(stateDir).digest("hex").slice(0, 12)}`)
    : path.join(stateDir, "test", "postgres");
  const data = path.join(dir, "data");
  const run = (tool: string, args: readonly string[]) =>
    root
      ? execa("runuser", ["-u", "postgres", "--", path.join(bin, tool), ...args], { cwd: dir })
      : execa(path.join(bin, tool), [...args], { cwd: dir });
  // A run that was interrupted may have left its server: stop it, then start from an empty cluster.
  if (existsSync(path.join(data, "postmaster.pid"))) await run("pg_ctl", ["-D", data, "-m", "immediate", "stop"]).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (root) {
    const { uid, gid } = postgresAccount();
    await chown(dir, uid, gid);
  }
  const [port] = await freePorts(1);
  await run("initdb", ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"]);
  await run("pg_ctl", ["-D", data, "-l", path.join(dir, "server.log"), "-w", "-t", "60",
    "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, "start"]);
  return {
    url: `jdbc:postgresql://127.0.0.1:${port}/postgres?user=postgres`,
    stop: async () => {
      await run("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]).catch(() => undefined);
    },
  };
}

export const javaPostgresSuite: Suite = {
  name: "java-postgres",
  summary: "user-service's integration tests with PostgreSQL as its database (JUnit 5, Maven)",
  needs: "broker",
  async run(ctx, reportDir) {
    const postgres = await startPostgres(ctx.stateDir);
    try {
      return await runMaven(ctx.root, reportDir, ["verify", "-DskipUnitTests=true"], "failsafe-reports", { DATABASE_URL: postgres.url });
    } finally {
      await postgres.stop();
    }
  },
};
