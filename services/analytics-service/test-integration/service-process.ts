// Runs the built analytics-service as a real process on a free port, and stops it with SIGTERM.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";

export const serviceDir = path.resolve(import.meta.dirname, "..");

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export interface ServiceProcess {
  readonly base: string;
  readonly output: () => string;
  /** SIGTERM, then the exit code (or the signal that ended it). */
  stop(): Promise<number | string>;
}

export async function startService(env: Record<string, string>): Promise<ServiceProcess> {
  const main = path.join(serviceDir, "dist", "main.js");
  if (!existsSync(main)) throw new Error(`${main} is missing: run npm run build first`);
  // A restart may ask for the port it had, so a page that was connected finds it again.
  const port = env["HTTP_PORT"] === undefined ? await freePort() : Number(env["HTTP_PORT"]);
  let output = "";
  const child: ChildProcess = spawn(process.execPath, [main], {
    cwd: serviceDir,
    // Every chain kept: the broker may hold many other chains, read after this test's own.
    env: {
      ...process.env,
      HTTP_PORT: String(port),
      LOG_LEVEL: "info",
      ANALYTICS_MAX_CHAINS: "1000000",
      // Spans go to the Zipkin of the stack these tests run beside (ZIPKIN_PORT moves it, as in `up`).
      ZIPKIN_ENDPOINT: process.env["ZIPKIN_ENDPOINT"] ?? `http://127.0.0.1:${process.env["ZIPKIN_PORT"] ?? 9411}/api/v2/spans`,
      PROMETHEUS_URL: process.env["PROMETHEUS_URL"] ?? `http://127.0.0.1:${process.env["PROMETHEUS_PORT"] ?? 9090}`,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | string>((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal ?? "?")));
  return {
    base: `http://127.0.0.1:${port}`,
    output: () => output,
    async stop() {
      child.kill("SIGTERM");
      return exited;
    },
  };
}
