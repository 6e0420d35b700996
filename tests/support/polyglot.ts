// Runs the repository's CLI (already built by ./polyglot test) with the test's environment,
// which points it at the cluster the test command started (POLYGLOT_STATE_DIR, KAFKA_*_PORT).
import { execFile } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "cli", "dist", "main.js");

export async function polyglot(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [cli, ...args], { env: { ...process.env, CI: "true" }, timeout: 120_000 });
  return stdout;
}
