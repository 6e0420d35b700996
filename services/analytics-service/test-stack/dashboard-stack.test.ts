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
    // sign-up -> welcome order -> welcome e-mail and its confirmation: Java, Go and Python in one chain.
    await expect.poll(chainTypes, { timeout: 30_000 }).toEqual(expect.arrayContaining(["UserSignupEvent", "OrderCreatedEvent", "EmailSentEvent"]));
    await expect.poll(async () => (await chainTypes()).filter((t) => t === "EmailSentEvent").length, { timeout: 30_000 }).toBe(2);
    expect((await chainTypes())[0]).toBe("UserSignupEvent");
    const services = (await chainServices()).join(" ");
    for (const s of ["user-service · java", "order-service · go", "notification-service · python"]) expect(services).toContain(s);
    await expect.poll(() => text("#feed"), { timeout: 5_000 }).toContain(email);
    await page.screenshot({ path: path.join(shots, "stack-signup.png"), fullPage: true });
  });

  it("places an order through the admin form: counters, revenue and the order's chain update live", async () => {
    await page.locator("#order-form button[type=submit]").click();
    await expect.poll(() => text("#order-answer"), { timeout: 15_000 }).toMatch(/^201 /);
    expect(await text("#order-answer")).toContain("109.97");
    // At least ours: the welcome order and the posted one, the three e-mails, the order's 109.97.
    await expect.poll(() => counter("ordersCreated"), { timeout: 30_000 }).toBeGreaterThanOrEqual(before.orders + 2);
    await expect.poll(() => counter("emailsSent"), { timeout: 30_000 }).toBeGreaterThanOrEqual(before.emails + 3);
    await expect.poll(revenueCents, { timeout: 30_000 }).toBeGreaterThanOrEqual(before.revenue + 10_997);
    await expect.poll(chainTypes, { timeout: 30_000 }).toEqual(["OrderCreatedEvent", "EmailSentEvent"]);
    expect(await text("#chain li .hop")).toBe("root");
    expect(await page.locator("#chain li .hop").nth(1).textContent()).toMatch(/^\+\d+ ms$/);
    expect(await page.evaluate(() => (globalThis as unknown as { polyglotNoReload?: boolean }).polyglotNoReload)).toBe(true);
    await page.screenshot({ path: path.join(shots, "stack-order.png"), fullPage: true });
    await page.locator("#chain-panel").screenshot({ path: path.join(shots, "stack-order-chain.png") });
  });
});
