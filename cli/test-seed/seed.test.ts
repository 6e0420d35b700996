// `./polyglot seed` on the test stack: 200 chains of history, then the services' own APIs, the
// SMTP sink and analytics-service's counts answer for them as for chains they ran themselves,
// and a sign-up made after the seed still completes its chain.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import pWaitFor from "p-wait-for";
import { beforeAll, describe, expect, test } from "vitest";
import { readCounters, type Counters } from "../src/demo/flow.js";
import { demoUrls } from "../src/demo/urls.js";
import { EventLog } from "../src/events/event-log.js";
import { createStackEnv } from "../src/stack/stack-env.js";
import { suiteSeedCommand } from "../src/suites/seed.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const urls = demoUrls(createStackEnv(1, process.env));
const bootstrap = process.env.KAFKA_BOOTSTRAP_SERVERS ?? "127.0.0.1:9092";
const chains = Number(/--chains (\d+)/.exec(suiteSeedCommand)?.[1]);

async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const answer = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
}

describe("./polyglot seed on the test stack", () => {
  let before: Counters;
  let run: string;
  let seededUser: { id: string; email: string };

  beforeAll(async () => {
    before = await readCounters(urls);
    const result = await execa("./polyglot", suiteSeedCommand.split(" ").slice(1), { cwd: root, reject: false, env: { CI: "true" }, timeout: 240_000 });
    expect(result.exitCode, `./polyglot seed exited ${result.exitCode}:\n${result.stderr.slice(-3000)}\n${result.stdout.slice(-3000)}`).toBe(0);
    run = /history-([a-z0-9]+)-/.exec(result.stdout)?.[1] ?? "";
    expect(run, result.stdout).not.toBe("");
    // The last chain's sign-up, read back from user-events.
    const events = await EventLog.open(bootstrap.split(","), ["user-events"]);
    try {
      const correlationId = `history-${run}-${chains - 1}`;
      await events.waitFor(`the sign-up of ${correlationId}`, (records) => records.some((r) => r.headers.ce_correlationid === correlationId));
      const signup = events.records.find((r) => r.headers.ce_correlationid === correlationId);
      seededUser = { id: String(signup?.value?.userId), email: String(signup?.value?.email) };
    } finally {
      await events.close();
    }
  }, 300_000);

  test("user-service, order-service and notification-service answer for a seeded user", async () => {
    const user = await getJson(`${urls.user}/api/users/${seededUser.id}`);
    expect(user.status).toBe(200);
    expect(user.body.email).toBe(seededUser.email);

    const orders = await getJson(`${urls.order}/api/orders?user_id=${seededUser.id}`);
    expect(orders.status).toBe(200);
    const [order, ...others] = orders.body.orders as Record<string, unknown>[];
    expect(others).toEqual([]);
    expect(order?.status).toBe("SHIPPED");
    expect((order?.items as { product_id: string }[]).map((i) => i.product_id)).toEqual(["welcome-package"]);

    const notifications = await getJson(`${urls.notification}/api/notifications?user_id=${seededUser.id}`);
    expect(notifications.status).toBe(200);
    const sent = notifications.body.notifications as { notification_type: string; order_id: string }[];
    expect(sent.map((n) => n.notification_type).sort()).toEqual(["order_confirmation", "shipping_notification", "welcome"]);
    expect(sent.filter((n) => n.order_id !== "").map((n) => n.order_id)).toEqual([order?.order_id, order?.order_id]);
  });

  test("the SMTP sink holds the seeded user's three e-mails", async () => {
    const found = await getJson(`${urls.mailSink}/api/v1/search?query=${encodeURIComponent(`to:${seededUser.email}`)}&limit=10`);
    expect(found.status).toBe(200);
    expect((found.body.messages as unknown[]).length).toBe(3);
  });

  test("analytics-service counts every seeded chain", async () => {
    const after = await readCounters(urls);
    expect(after.userSignups - before.userSignups).toBe(chains);
    expect(after.ordersCreated - before.ordersCreated).toBe(chains);
    expect(after.emailsSent - before.emailsSent).toBe(3 * chains);
  });

  test("a sign-up after the seed completes its chain: its welcome e-mail is sent", async () => {
    const email = `after-seed-${run}@example.com`;
    const answer = await fetch(`${urls.user}/api/users/signup`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, name: "After Seed", source: "web" }), signal: AbortSignal.timeout(10_000) });
    expect(answer.status).toBe(201);
    const { user_id: userId } = (await answer.json()) as { user_id: string };
    await pWaitFor(
      async () => {
        const n = await getJson(`${urls.notification}/api/notifications?user_id=${userId}`);
        return (n.body.notifications as unknown[] | undefined)?.length === 3;
      },
      { interval: 250, timeout: 60_000 },
    );
  }, 70_000);
});
