// Issue 10: `./polyglot logs --correlation ID` merges one chain's lines from every service's
// log, in time order, each service logging the chain's correlation id its own language's way.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { http } from "../../cli/src/demo/http.js";
import { stackUrls } from "./stack-urls.js";

const polyglot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "polyglot");

interface MergedLine {
  readonly component: string;
  readonly time: string;
}

async function merged(correlationId: string): Promise<MergedLine[]> {
  const { stdout } = await promisify(execFile)(polyglot, ["logs", "--correlation", correlationId, "--json"], { maxBuffer: 16 << 20 });
  return stdout
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as MergedLine);
}

it("logs --correlation shows one sign-up's chain from the Java, Go, Python and Node logs, in time order", async () => {
  const correlationId = crypto.randomUUID();
  const signup = await http.post(
    `${stackUrls().user}/api/users/signup`,
    { email: `logs-${correlationId.slice(0, 8)}@example.com`, name: "Log User" },
    { "x-correlation-id": correlationId },
  );
  expect(signup.status).toBe(201);
  const services = ["user-service", "order-service", "notification-service", "analytics-service"];
  let lines: MergedLine[] = [];
  await expect
    .poll(
      async () => {
        lines = await merged(correlationId);
        return services.filter((s) => !lines.some((l) => l.component === s || l.component.startsWith(`${s}-`)));
      },
      { timeout: 30_000, interval: 1_000 },
    )
    .toEqual([]);
  const times = lines.map((l) => Date.parse(l.time));
  expect(times).toEqual([...times].sort((a, b) => a - b));
}, 60_000);
