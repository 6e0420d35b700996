import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pino } from "pino";
import { Aggregate } from "../../src/analytics/aggregate.js";
import { ChainIndex } from "../../src/analytics/chains.js";
import { createAdminRoutes } from "../../src/http/admin.js";
import { createHttpServer } from "../../src/http/server.js";

const listen = async (server: Server): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

const mailpitPage = {
  total: 40_000,
  unread: 40_000,
  count: 1,
  messages_count: 40_000,
  messages_unread: 40_000,
  start: 0,
  tags: [],
  messages: [
    {
      ID: "Xy12",
      MessageID: "abc@notification-service.polyglot",
      From: { Name: "", Address: "noreply@polyglot.dev" },
      To: [{ Name: "Demo User", Address: "demo@example.com" }],
      Cc: [],
      Bcc: [],
      ReplyTo: [],
      Subject: "Welcome, Demo User!",
      Created: "2026-12-03T12:00:00.123Z",
      Tags: [],
      Size: 2048,
      Attachments: 0,
      Snippet: "Hi",
    },
  ],
};

let servers: Server[] = [];
let base = "";
const seen: Array<{ method: string; url: string; body: string; correlationId: string | undefined }> = [];

beforeEach(async () => {
  seen.length = 0;
  // A stand-in for user-service (the sign-up and its health) and for Mailpit (its listing).
  const user = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const correlationId = req.headers["x-correlation-id"] as string | undefined;
      seen.push({ method: req.method ?? "", url: req.url ?? "", body, correlationId });
      if (req.url?.startsWith("/api/v1/messages") === true) {
        // Mailpit's listing, as v1.33 answers it (newest first).
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(mailpitPage));
        return;
      }
      if (req.url === "/actuator/health") {
        res.writeHead(200, { "content-type": "application/json" }).end('{"status":"UP"}');
        return;
      }
      res.writeHead(201, { "content-type": "application/json", "x-correlation-id": correlationId ?? "made-by-user-service" });
      res.end(JSON.stringify({ user_id: "u-1", email: JSON.parse(body).email, correlation_id: correlationId }));
    });
  });
  const userUrl = await listen(user);
  // A port where nothing listens: order-service and notification-service are down.
  const closed = createServer();
  const downUrl = await listen(closed);
  await new Promise<void>((resolve) => closed.close(() => resolve()));

  const admin = createAdminRoutes({
    logger: pino({ level: "silent" }),
    user: { name: "user-service", language: "java", baseUrl: userUrl, healthPath: "/actuator/health" },
    order: { name: "order-service", language: "go", baseUrl: downUrl, healthPath: "/health" },
    notification: { name: "notification-service", language: "python", baseUrl: downUrl, healthPath: "/health" },
    mailSinkUrl: userUrl,
    lag: async () => {
      throw new Error("broker unreachable");
    },
  });
  const analytics = createHttpServer({
    logger: pino({ level: "silent" }),
    metrics: () => new Aggregate({ recentEventsLimit: 1 }).snapshot(),
    chains: new ChainIndex(1),
    consumerState: () => "running",
    dashboardDir: "/nonexistent",
    admin,
  });
  base = await listen(analytics);
  servers = [user, analytics];
});

afterEach(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
});

describe("/api/admin", () => {
  it("reports each service's health, down ones included", async () => {
    const res = await fetch(`${base}/api/admin/health`);
    const { components } = (await res.json()) as { components: Array<{ name: string; healthy: boolean; detail: string }> };
    expect(components.map((c) => [c.name, c.healthy, c.detail])).toEqual([
      ["user-service", true, "HTTP 200"],
      ["order-service", false, "connection refused"],
      ["notification-service", false, "connection refused"],
    ]);
  });

  it("passes a sign-up through to user-service with the chain's correlation id, and its answer back", async () => {
    const res = await fetch(`${base}/api/admin/signup`, {
      method: "POST",
      headers: { "content-type": "application/json", "X-Correlation-ID": "corr-admin" },
      body: JSON.stringify({ email: "demo@example.com", name: "Demo User" }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("x-correlation-id")).toBe("corr-admin");
    expect(await res.json()).toEqual({ user_id: "u-1", email: "demo@example.com", correlation_id: "corr-admin" });
    expect(seen.at(-1)).toMatchObject({ method: "POST", url: "/api/users/signup", correlationId: "corr-admin" });
  });

  it("answers 502 when the service behind is down", async () => {
    const res = await fetch(`${base}/api/admin/orders`, { method: "POST", body: "{}" });
    expect(res.status).toBe(502);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  });

  it("answers 405 for the wrong method and 503 when the lag cannot be read", async () => {
    const wrong = await fetch(`${base}/api/admin/signup`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("POST");
    const lag = await fetch(`${base}/api/admin/lag`);
    expect(lag.status).toBe(503);
    expect(await lag.json()).toMatchObject({ title: "Lag unavailable", detail: expect.stringContaining("broker unreachable") });
  });

  it("lists one page of the newest e-mails from Mailpit, each linked to its UI", async () => {
    const res = await fetch(`${base}/api/admin/outbox`);
    expect(res.status).toBe(200);
    const sink = new URL(seen.at(-1)?.url ?? "", "http://x");
    expect([sink.pathname, sink.searchParams.get("limit")]).toEqual(["/api/v1/messages", "20"]);
    const body = (await res.json()) as { ui: string; total: number; messages: unknown[] };
    expect(body.total).toBe(40_000);
    expect(body.ui).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(body.messages).toEqual([
      { to: ["demo@example.com"], subject: "Welcome, Demo User!", received_at: "2026-12-03T12:00:00.123Z", url: `${body.ui}view/Xy12` },
    ]);
  });
});
