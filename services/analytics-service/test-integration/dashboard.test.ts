// The dashboard in real headless Chromium (Debian's, driven by playwright-core), against the
// built service on the real broker: it goes live, counts an event produced to Kafka without a
// reload, opens a chain from its link, and reconnects by itself when the service restarts.
// Screenshots go to the suite's output (ANALYTICS_SCREENSHOT_DIR, else test-results/).
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { create, toBinary } from "@bufbuild/protobuf";
import { Producer } from "@platformatic/kafka";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { SignupSource, UserSignupEventSchema } from "../src/gen/polyglot/events/v1/user_events_pb.js";
import { serviceDir, startService, type ServiceProcess } from "./service-process.js";

const bootstrap = process.env["KAFKA_BOOTSTRAP_SERVERS"] ?? "127.0.0.1:9092";
const chromiumPath = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
const shots = process.env["ANALYTICS_SCREENSHOT_DIR"] ?? path.join(serviceDir, "test-results", "dashboard");
const run = randomUUID().slice(0, 8);
const group = `analytics-ui-${run}`;

let service: ServiceProcess;
let browser: Browser;
let page: Page;

async function signup(correlationId: string, email: string): Promise<void> {
  const producer = new Producer({ clientId: `analytics-ui-${run}`, bootstrapBrokers: bootstrap.split(",") });
  const headers: Record<string, string> = {
    ce_specversion: "1.0",
    ce_id: randomUUID(),
    ce_source: "/user-service",
    ce_type: UserSignupEventSchema.typeName,
    ce_time: new Date().toISOString(),
    "content-type": "application/protobuf",
    ce_correlationid: correlationId,
    ce_causationid: "",
  };
  await producer.send({
    messages: [
      {
        topic: "user-events",
        key: Buffer.from(`ui-user-${run}`),
        value: Buffer.from(toBinary(UserSignupEventSchema, create(UserSignupEventSchema, { userId: `ui-user-${run}`, email, source: SignupSource.MOBILE }))),
        headers: new Map(Object.entries(headers).map(([k, v]) => [Buffer.from(k), Buffer.from(v)])),
      },
    ],
  });
  await producer.close();
}

const counter = (id: string): Promise<number> => page.locator(`#${id}`).textContent().then((t) => Number(t));

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  service = await startService({ KAFKA_BOOTSTRAP_SERVERS: bootstrap, KAFKA_GROUP_ID: group });
  await vi.waitFor(
    async () => {
      const res = await fetch(`${service.base}/health`);
      if (res.status !== 200) throw new Error(`health ${res.status}`);
    },
    { timeout: 30_000, interval: 200 },
  );
  browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox"] });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  await service?.stop();
});

describe("the dashboard in Chromium", () => {
  it("goes live and counts a new sign-up without a reload", async () => {
    await page.goto(`${service.base}/dashboard/`);
    await expect.poll(() => page.locator("#connection").getAttribute("data-state"), { timeout: 15_000 }).toBe("live");
    // The snapshot has arrived once the counters show numbers.
    await expect.poll(async () => Number.isInteger(await counter("userSignups")), { timeout: 15_000 }).toBe(true);
    // Wait until the service has read what the broker already holds, so the count below is ours alone.
    let settled = -1;
    await expect
      .poll(
        async () => {
          const now = await counter("eventsTotal");
          const stable = now === settled;
          settled = now;
          return stable;
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toBe(true);
    const before = await counter("userSignups");
    await signup(`ui-chain-${run}`, `ui-${run}@example.com`);
    // At least ours: other writers may share the broker (exactly-once counting is tested elsewhere).
    await expect.poll(() => counter("userSignups"), { timeout: 15_000 }).toBeGreaterThanOrEqual(before + 1);
    await expect.poll(() => page.locator("#feed").textContent(), { timeout: 5_000 }).toContain(`ui-${run}@example.com`);
    await page.screenshot({ path: path.join(shots, "live.png"), fullPage: true });
  });

  it("opens a chain from its link", async () => {
    await page.goto(`${service.base}/dashboard/?chain=ui-chain-${run}`);
    await page.locator("#chain-panel").waitFor({ state: "visible", timeout: 10_000 });
    await expect.poll(() => page.locator("#chain li").first().textContent(), { timeout: 10_000 }).toContain("UserSignupEvent");
    await page.locator("#chain-panel").screenshot({ path: path.join(shots, "chain.png") });
  });

  it("shows that it reconnects while the service restarts, then goes live again", async () => {
    await expect.poll(() => page.locator("#connection").getAttribute("data-state"), { timeout: 15_000 }).toBe("live");
    const port = new URL(service.base).port;
    await service.stop();
    await expect.poll(() => page.locator("#connection").getAttribute("data-state"), { timeout: 15_000 }).toBe("reconnecting");
    await page.screenshot({ path: path.join(shots, "reconnecting.png") });
    service = await startService({ KAFKA_BOOTSTRAP_SERVERS: bootstrap, KAFKA_GROUP_ID: group, HTTP_PORT: port });
    await expect.poll(() => page.locator("#connection").getAttribute("data-state"), { timeout: 30_000 }).toBe("live");
  });
});
