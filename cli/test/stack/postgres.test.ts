import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import type { StackContext } from "../../src/stack/component.js";
import { stackComponents } from "../../src/stack/components/index.js";
import { clusterDir, databaseUrl, usesPostgres } from "../../src/stack/components/postgres.js";
import { asRoot, postgresHome } from "../../src/stack/postgres/install.js";
import { createStackEnv } from "../../src/stack/stack-env.js";
import { StackError } from "../../src/stack/stack-error.js";
import { portVarsOf } from "../../src/stack/state.js";

const named = (env: ReturnType<typeof createStackEnv>, name: string) => stackComponents(env).find((c) => c.name === name);

describe("PostgreSQL for user-service (up --postgres)", () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  test("is not part of the default stack: user-service keeps its embedded database", () => {
    const env = createStackEnv(1, {});
    expect(named(env, "postgres")).toBeUndefined();
    expect(named(env, "user-service")?.dependsOn).toEqual(["kafka"]);
  });

  test("POLYGLOT_DATABASE=postgres adds it on 5432, and user-service starts after it", () => {
    const env = createStackEnv(1, { POLYGLOT_DATABASE: "postgres" });
    expect(named(env, "postgres")?.ports(env)).toEqual([5432]);
    expect(named(env, "user-service")?.dependsOn).toEqual(["kafka", "postgres"]);
  });

  test("POSTGRES_PORT moves it", () => {
    const env = createStackEnv(1, { POLYGLOT_DATABASE: "postgres", POSTGRES_PORT: "24032" });
    expect(named(env, "postgres")?.ports(env)).toEqual([24032]);
  });

  test("an unknown database is refused, not taken for the embedded one", () => {
    expect(() => usesPostgres(createStackEnv(1, { POLYGLOT_DATABASE: "mysql" }))).toThrow(StackError);
    expect(usesPostgres(createStackEnv(1, { POLYGLOT_DATABASE: "embedded" }))).toBe(false);
  });

  test("the choice is kept with the running stack's ports, and nothing else of the environment", () => {
    expect(portVarsOf({ POLYGLOT_DATABASE: "postgres", POSTGRES_PORT: "5433", DATABASE_URL: "secret", HOME: "/root" })).toEqual({ POLYGLOT_DATABASE: "postgres", POSTGRES_PORT: "5433" });
  });

  test("a new cluster goes in the state dir, or under the postgres account's home when run as root (it cannot enter /root)", async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "polyglot-postgres-"));
    const where = clusterDir(dir);
    if (asRoot()) {
      expect(path.dirname(where)).toBe(postgresHome());
      expect(path.basename(where)).toMatch(/^polyglot-[0-9a-f]{12}$/);
      expect(clusterDir(path.join(dir, "other"))).not.toBe(where);
    } else {
      expect(where).toBe(path.join(dir, "postgres"));
    }
  });

  test("a cluster made in the state dir stays there", async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "polyglot-postgres-"));
    await mkdir(path.join(dir, "postgres", "data"), { recursive: true });
    await writeFile(path.join(dir, "postgres", "data", "PG_VERSION"), "15\n");
    expect(clusterDir(dir)).toBe(path.join(dir, "postgres"));
  });

  test("user-service gets a DATABASE_URL with the cluster's port, its database and the generated password", async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "polyglot-postgres-"));
    await mkdir(path.join(dir, "postgres", "data"), { recursive: true });
    await writeFile(path.join(dir, "postgres", "data", "PG_VERSION"), "15\n");
    await writeFile(path.join(dir, "postgres", "password"), "s3cr-t_x\n");
    const env = createStackEnv(1, { POLYGLOT_DATABASE: "postgres", POSTGRES_PORT: "15432" });
    expect(databaseUrl({ env, stateDir: dir })).toBe("jdbc:postgresql://127.0.0.1:15432/user_service?user=postgres&password=s3cr-t_x");
    const ctx = { root: "/repo", stateDir: dir, env, dataDir: (c: string) => path.join(dir ?? "", "data", c) } as unknown as StackContext;
    expect(named(env, "user-service")?.process(ctx).env).toMatchObject({ DATABASE_URL: "jdbc:postgresql://127.0.0.1:15432/user_service?user=postgres&password=s3cr-t_x" });
  });
});
