import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { execa } from "execa";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deleteState, existingState } from "../../src/stack/reset.js";

const cli = path.resolve(import.meta.dirname, "..", "..", "dist", "main.js");
let stateDir: string;

async function put(file: string, bytes = 10): Promise<void> {
  await mkdir(path.dirname(path.join(stateDir, file)), { recursive: true });
  await writeFile(path.join(stateDir, file), "x".repeat(bytes));
}

beforeEach(async () => {
  stateDir = await mkdtemp(path.join(tmpdir(), "polyglot-reset-"));
  // State the stack wrote...
  await put("kafka/single/broker/data/user-events-0/00000000000000000000.log", 1000);
  await put("data/smtp-sink/new/1.eml", 500);
  await put("data/order-service/orders.sqlite3", 200);
  await put("logs/kafka.log", 100);
  // ...and what was installed or built, or belongs to the tests and the load reports.
  await put("kafka/classpath.txt");
  await put("tools/node-24/bin/node");
  await put("bin/order-service");
  await put("user-service/user-service.jar");
  await put("test/broker/kafka/single/x");
  await put("reports/2026-12-03T09-00-00/report.html");
});

afterEach(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

describe("reset", () => {
  it("finds the stack's state with its sizes and deletes only that", async () => {
    const found = await existingState(stateDir);
    expect(found.map((s) => path.relative(stateDir, s.path)).sort()).toEqual(["data", "kafka/single", "logs"]);
    expect(found.reduce((n, s) => n + s.bytes, 0)).toBe(1800);
    await deleteState(found);
    for (const gone of ["kafka/single", "data", "logs"]) expect(existsSync(path.join(stateDir, gone)), gone).toBe(false);
    for (const kept of ["kafka/classpath.txt", "tools/node-24/bin/node", "bin/order-service", "user-service/user-service.jar", "test/broker/kafka/single/x", "reports/2026-12-03T09-00-00/report.html"]) {
      expect(existsSync(path.join(stateDir, kept)), kept).toBe(true);
    }
  });

  it("./polyglot reset without --yes and without a terminal lists what it would delete and deletes nothing", async () => {
    const result = await execa("node", [cli, "reset"], { env: { POLYGLOT_STATE_DIR: stateDir }, reject: false, stdin: "ignore" });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toContain(path.join(stateDir, "data"));
    expect(result.stderr).toContain("./polyglot reset --yes");
    expect(existsSync(path.join(stateDir, "data"))).toBe(true);
  }, 60_000);

  it("./polyglot reset --yes deletes it, and then finds nothing to delete", async () => {
    const first = await execa("node", [cli, "reset", "--yes"], { env: { POLYGLOT_STATE_DIR: stateDir }, reject: false });
    expect(first.exitCode, first.all).toBe(0);
    expect(first.stdout).toMatch(/Deleted 0\.0 MB/);
    expect(existsSync(path.join(stateDir, "kafka", "single"))).toBe(false);
    const again = await execa("node", [cli, "reset", "--yes"], { env: { POLYGLOT_STATE_DIR: stateDir }, reject: false });
    expect(again.stdout).toContain("Nothing to delete");
  }, 60_000);
});
