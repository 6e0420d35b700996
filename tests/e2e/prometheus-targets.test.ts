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
  // A target is "unknown" until its first scrape (every 5 s), and one scraped while its service
  // was still starting reads "down" until the next: wait, bounded, for the verdict asserted (all
  // up). A target whose scrape Prometheus rejects stays down, and the assertion names it.
  const problems = (all: readonly Target[]): string[] => [
    ...expected.filter((job) => !all.some((t) => t.labels.job === job)).map((job) => `no target for ${job}`),
    ...all.filter((t) => t.health !== "up").map((t) => `${t.labels.job} (${t.labels.instance}) ${t.health}: ${t.lastError}`),
  ];
  let all: Target[] = [];
  await expect
    .poll(async () => problems((all = await targets(prometheus as string))), { timeout: 45_000, interval: 1_000 })
    .toEqual([]);
  for (const job of expected) expect(all.some((t) => t.labels.job === job), `a target for ${job}`).toBe(true);
}, 60_000);
