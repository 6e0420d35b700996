// The dashboard on the whole stack, in real headless Chromium (Debian's, driven by playwright-core):
// a user signed up through the admin form and an order placed through it travel through the
// Java, Go and Python services and the broker, and the page's counters and chain view follow
// without a reload. Screenshots go to the suite's output (ANALYTICS_SCREENSHOT_DIR).
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const port = (variable: string, fallback: number): number => Number(process.env[variable] ?? fallback);
const base = `http://127.0.0.1:${port("ANALYTICS_SERVICE_PORT", 3000)}`;
const zipkin = `http://127.0.0.1:${port("ZIPKIN_PORT", 9411)}`;
const chromiumPath = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
const shots = process.env["ANALYTICS_SCREENSHOT_DIR"] ?? path.join(import.meta.dirname, "..", "test-results", "stack");
const run = randomUUID().slice(0, 8);
const email = `ui-stack-${run}@example.com`;

let browser: Browser;
let page: Page;

const text = (selector: string): Promise<string> => page.locator(selector).first().textContent().then((t) => t ?? "");
const counter = async (id: string): Promise<number> => Number(await text(`#${id}`));
/** The exact revenue text ("109.97") in cents, so the sums stay integers. */
const revenueCents = async (): Promise<number> => Math.round(Number(await text("#totalRevenue")) * 100);
const chainTypes = (): Promise<string[]> => page.locator("#chain li .type").allTextContents();
const chainServices = (): Promise<string[]> => page.locator("#chain li .service").allTextContents();

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  browser = await chromium.launch({ executablePath: chromiumPath, args: ["--no-sandbox"] });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
});

describe("the dashboard on the whole stack", () => {
  let before: { signups: number; orders: number; emails: number; revenue: number };

  it("goes live with the stack's counters and every component healthy", async () => {
    await page.goto(`${base}/dashboard/`);
    // Lost on a reload: the checks below find it again only if the page was never reloaded.
    await page.evaluate(() => Object.assign(globalThis, { polyglotNoReload: true }));
    await expect.poll(() => page.locator("#connection").getAttribute("data-state"), { timeout: 15_000 }).toBe("live");
    await expect.poll(async () => Number.isInteger(await counter("userSignups")), { timeout: 15_000 }).toBe(true);
    await expect
      .poll(() => page.locator("#components li.ok").allTextContents(), { timeout: 20_000 })
      .toEqual(expect.arrayContaining([expect.stringContaining("user-service"), expect.stringContaining("order-service"), expect.stringContaining("notification-service")]));
    before = { signups: await counter("userSignups"), orders: await counter("ordersCreated"), emails: await counter("emailsSent"), revenue: await revenueCents() };
  });

  it("signs a user up through the admin form and draws the chain as it happens", async () => {
    await page.locator("#signup-form input[name=email]").fill(email);
    await page.locator("#signup-form input[name=name]").fill(`UI ${run}`);
    await page.locator("#signup-form button[type=submit]").click();
    await expect.poll(() => text("#signup-answer"), { timeout: 15_000 }).toMatch(/^201 /);
    // The form hands the new user to the order form.
    await expect.poll(() => page.locator("#order-form input[name=user_id]").inputValue()).not.toBe("");

    await expect.poll(() => counter("userSignups"), { timeout: 30_000 }).toBeGreaterThanOrEqual(before.signups + 1);
    // sign-up -> welcome order (-> shipped, when order-service runs its saga) -> the welcome e-mail and
    // the order's: Java, Go and Python in one chain, growing in the page as the events arrive.
    await expect.poll(chainTypes, { timeout: 30_000 }).toEqual(expect.arrayContaining(["UserSignupEvent", "OrderCreatedEvent", "EmailSentEvent"]));
    await expect.poll(async () => (await chainTypes()).filter((t) => t === "EmailSentEvent").length, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    expect((await chainTypes())[0]).toBe("UserSignupEvent");
    const services = (await chainServices()).join(" ");
    for (const s of ["user-service · java", "order-service · go", "notification-service · python"]) expect(services).toContain(s);
    await expect.poll(() => text("#feed"), { timeout: 5_000 }).toContain(email);
    await page.screenshot({ path: path.join(shots, "stack-signup.png"), fullPage: true });
  });

  it("links the chain to its trace in Zipkin, where the services' spans of the sign-up are one trace", async () => {
    const link = page.locator("#chain-trace");
    await expect.poll(() => link.isVisible(), { timeout: 10_000 }).toBe(true);
    const href = (await link.getAttribute("href")) ?? "";
    const traceId = /\/zipkin\/traces\/([0-9a-f]{32})$/.exec(href)?.[1];
    expect(href.startsWith(`${zipkin}/zipkin/traces/`)).toBe(true);
    expect(traceId).toBeDefined();
    // Each service exports its spans in batches of its own (every few seconds): wait until Zipkin
    // holds analytics' consumer spans of this trace and some span of every service in the chain.
    type Span = { localEndpoint?: { serviceName?: string }; kind?: string; name: string; id: string; parentId?: string };
    let spans: Span[] = [];
    await expect
      .poll(
        async () => {
          const res = await fetch(`${zipkin}/api/v2/trace/${traceId}`);
          spans = res.ok ? ((await res.json()) as Span[]) : [];
          const consumers = spans.filter((x) => x.localEndpoint?.serviceName === "analytics-service" && x.kind === "CONSUMER").map((x) => x.name);
          const services = new Set(spans.map((x) => x.localEndpoint?.serviceName));
          return {
            consumers: ["order-events process", "user-events process"].filter((n) => consumers.includes(n)),
            services: ["user-service", "order-service", "analytics-service"].filter((n) => services.has(n)),
          };
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toEqual({ consumers: ["order-events process", "user-events process"], services: ["user-service", "order-service", "analytics-service"] });
    // analytics' consumer spans of the Java and Go records are children of their producers' spans,
    // and the AnalyticsUpdates' producer spans children of analytics' consumer spans.
    const byId = new Map(spans.map((x) => [x.id, x]));
    const ours = spans.filter((x) => x.localEndpoint?.serviceName === "analytics-service");
    for (const x of ours.filter((x) => x.kind === "CONSUMER" && x.name !== "notification-events process")) {
      expect(byId.get(x.parentId ?? "")?.localEndpoint?.serviceName).toMatch(/^(user|order)-service$/);
    }
    // The sign-up came from the dashboard: the trace starts at analytics' SERVER span, whose CLIENT call user-service continues.
    const root = spans.find((x) => x.parentId === undefined);
    expect(root).toMatchObject({ kind: "SERVER", name: "post /api/admin/signup", localEndpoint: { serviceName: "analytics-service" } });
    const producers = ours.filter((x) => x.kind === "PRODUCER");
    expect(producers.length).toBeGreaterThan(0);
    for (const x of producers) expect(byId.get(x.parentId ?? "")).toMatchObject({ kind: "CONSUMER", localEndpoint: { serviceName: "analytics-service" } });
    const ui = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await ui.goto(href);
    await expect.poll(() => ui.title(), { timeout: 15_000 }).toMatch(/zipkin/i);
    await ui.screenshot({ path: path.join(shots, "zipkin-trace.png") });
    await ui.close();
  });

  it("places an order through the admin form: counters, revenue and the order's chain update live", async () => {
    await page.locator("#order-form button[type=submit]").click();
    await expect.poll(() => text("#order-answer"), { timeout: 15_000 }).toMatch(/^201 /);
    expect(await text("#order-answer")).toContain("109.97");
    // At least ours: the welcome order and the posted one, the three e-mails, the order's 109.97.
    await expect.poll(() => counter("ordersCreated"), { timeout: 30_000 }).toBeGreaterThanOrEqual(before.orders + 2);
    await expect.poll(() => counter("emailsSent"), { timeout: 30_000 }).toBeGreaterThanOrEqual(before.emails + 3);
    await expect.poll(revenueCents, { timeout: 30_000 }).toBeGreaterThanOrEqual(before.revenue + 10_997);
    // The order's own chain: its OrderCreatedEvent the root, its confirmation e-mail (and the saga's steps).
    await expect.poll(chainTypes, { timeout: 30_000 }).toEqual(expect.arrayContaining(["OrderCreatedEvent", "EmailSentEvent"]));
    expect((await chainTypes())[0]).toBe("OrderCreatedEvent");
    expect((await chainTypes()).includes("UserSignupEvent")).toBe(false);
    expect(await text("#chain li .hop")).toBe("root");
    expect(await page.locator("#chain li .hop").nth(1).textContent()).toMatch(/^\+\d+ ms$/);
    // The admin panel's SMTP sink holds the user's e-mails: welcome and one confirmation per order at least.
    await expect.poll(async () => (await page.locator("#outbox li").allTextContents()).filter((t) => t.startsWith(email)).length, { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
    expect(await page.evaluate(() => (globalThis as unknown as { polyglotNoReload?: boolean }).polyglotNoReload)).toBe(true);
    await page.screenshot({ path: path.join(shots, "stack-order.png"), fullPage: true });
    await page.locator("#chain-panel").screenshot({ path: path.join(shots, "stack-order-chain.png") });
  });

  it("shows live figures from Prometheus in the Operations view", async () => {
    const status = page.locator("#ops-status");
    await expect.poll(() => status.getAttribute("data-state"), { timeout: 15_000 }).toBe("ok");
    expect(await status.textContent()).toMatch(/Prometheus http:\/\/127\.0\.0\.1:\d+: \d+\/\d+ targets up/);
    const serviceRows = async (): Promise<string[]> => page.locator("#ops-services tr").allTextContents();
    // The services Prometheus scrapes, each marked up or down from its `up` series.
    await expect.poll(serviceRows, { timeout: 15_000 }).toEqual(expect.arrayContaining([expect.stringMatching(/^analytics-serviceup/), expect.stringMatching(/^order-serviceup/), expect.stringMatching(/^notification-serviceup/)]));
    // Rates need two scrapes (every 5 s) after the traffic above: the page's own requests and our records.
    const cell = (service: string, column: number) => page.locator("#ops-services tr", { hasText: service }).locator("td").nth(column).textContent();
    await expect.poll(async () => Number(await cell("analytics-service", 2)), { timeout: 30_000 }).toBeGreaterThan(0);
    await expect.poll(async () => Number(await cell("analytics-service", 4)), { timeout: 30_000 }).toBeGreaterThan(0);
    const brokerIn = async () => Number(/([\d.]+) \/s/.exec((await page.locator("#ops-broker tr", { hasText: "messages in" }).textContent()) ?? "")?.[1] ?? Number.NaN);
    await expect.poll(brokerIn, { timeout: 30_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.locator("#ops-lag tr").allTextContents(), { timeout: 30_000 }).toEqual(expect.arrayContaining([expect.stringMatching(/^analytics-service\d/)]));
    expect(await page.locator("#ops-alerts li").count()).toBeGreaterThan(0);
    // Live: the view refreshes by itself.
    const first = await status.textContent();
    await expect.poll(() => status.textContent(), { timeout: 15_000 }).not.toBe(first);
    await page.locator("#ops").screenshot({ path: path.join(shots, "stack-operations.png") });
  });
});
