// Issue 10's "Prometheus shows every target up": every service and the broker answer their
// scrape, in a format this Prometheus accepts (a target whose scrape it rejects shows as down).
import { expect, it } from "vitest";
import { stackComponents } from "../../cli/src/stack/components/index.js";
import { createStackEnv } from "../../cli/src/stack/stack-env.js";

interface Target {
  readonly labels: Record<string, string>;
  readonly health: string;
  readonly lastError: string;
}

async function targets(prometheus: string): Promise<Target[]> {
  const response = await fetch(`${prometheus}/api/v1/targets?state=active`);
  const body = (await response.json()) as { data: { activeTargets: Target[] } };
  return body.data.activeTargets;
}

it("Prometheus scrapes every service and the broker, all up", async () => {
  const env = createStackEnv(1, process.env);
  const prometheus = stackComponents(env).find((c) => c.name === "prometheus")?.url?.(env);
  expect(prometheus, "the stack has a prometheus component").toBeDefined();
  const expected = ["kafka", "user-service", "order-service", "notification-service", "analytics-service"];
  // A target is "unknown" until its first scrape (every 5 s): wait, bounded, for every verdict.
  await expect
    .poll(async () => (await targets(prometheus as string)).filter((t) => t.health === "unknown").length, { timeout: 30_000, interval: 1_000 })
    .toBe(0);
  const all = await targets(prometheus as string);
  for (const job of expected) expect(all.some((t) => t.labels.job === job), `a target for ${job}`).toBe(true);
  const down = all.filter((t) => t.health !== "up").map((t) => `${t.labels.job} (${t.labels.instance}): ${t.lastError}`);
  expect(down).toEqual([]);
}, 60_000);
