import { request as httpRequest } from "node:http";
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pino } from "pino";
import { WebSocket } from "ws";
import { Aggregate } from "../../src/analytics/aggregate.js";
import { ChainIndex } from "../../src/analytics/chains.js";
import type { WsMessage } from "../../src/analytics/snapshot.js";
import { createHttpServer } from "../../src/http/server.js";
import { handleRecord } from "../../src/kafka/record-handler.js";
import { createBroadcast, type Broadcast } from "../../src/ws/broadcast.js";
import { createServiceMetrics, type ServiceMetrics } from "../../src/telemetry/prometheus.js";
import { emailSent, orderCreated, signup } from "../fixtures.js";
import type { Server } from "node:http";

interface Harness {
  base: string;
  server: Server;
  broadcast: Broadcast;
  aggregate: Aggregate;
  chains: ChainIndex;
  serviceMetrics: ServiceMetrics;
  setConsumer(state: string): void;
  dashboardDir: string;
}

let h: Harness;

beforeEach(async () => {
  const dashboardDir = mkdtempSync(path.join(tmpdir(), "analytics-dashboard-"));
  mkdirSync(path.join(dashboardDir, "assets"));
  writeFileSync(path.join(dashboardDir, "index.html"), "<!doctype html><title>analytics</title>");
  writeFileSync(path.join(dashboardDir, "assets", "app.js"), "console.log('hi')");
  const logger = pino({ level: "silent" });
  const aggregate = new Aggregate({ recentEventsLimit: 50 });
  const chains = new ChainIndex(100);
  let consumer = "starting";
  let clients = (): number => 0;
  const serviceMetrics = createServiceMetrics({ wsClients: () => clients() });
  const server = createHttpServer({
    logger,
    metrics: () => aggregate.snapshot(),
    chains,
    consumerState: () => consumer,
    dashboardDir,
    onRequest: (method, uri, status, seconds) => serviceMetrics.httpRequest(method, uri, status, seconds),
    prometheus: async () => ({ contentType: serviceMetrics.registry.contentType, body: await serviceMetrics.registry.metrics() }),
  });
  const broadcast = createBroadcast({ server, logger, metrics: () => aggregate.snapshot(), metricsIntervalMs: 10 });
  clients = broadcast.clients;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  h = {
    base: `http://127.0.0.1:${port}`,
    server,
    broadcast,
    aggregate,
    chains,
    serviceMetrics,
    setConsumer: (s) => (consumer = s),
    dashboardDir,
  };
});

afterEach(async () => {
  await h.broadcast.close();
  await new Promise<void>((resolve) => h.server.close(() => resolve()));
  rmSync(h.dashboardDir, { recursive: true, force: true });
});

async function feed(...records: ReturnType<typeof signup>[]): Promise<void> {
  for (const r of records) {
    const outcome = await handleRecord(r, false, {
      aggregate: h.aggregate,
      chains: h.chains,
      group: "analytics-service",
      publishDlq: async () => {},
      onCounted: (e) => h.broadcast.event(e),
      now: () => new Date(),
    });
    const headers = new Map(r.headers.map(([k, v]) => [k.toString(), v.toString()]));
    h.serviceMetrics.recordConsumed(r.topic, headers.get("ce_type"), outcome, Date.parse(headers.get("ce_time") ?? ""), false);
  }
}

describe("HTTP", () => {
  it("GET /metrics answers the seed's counters with exact revenue", async () => {
    await feed(signup(), orderCreated("0"), orderCreated("109.97"), emailSent(), emailSent(), emailSent());
    const res = await fetch(`${h.base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const text = await res.text();
    expect(text).toContain('"totalRevenue":109.97,');
    expect(JSON.parse(text)).toMatchObject({
      userSignups: 1,
      ordersCreated: 2,
      emailsSent: 3,
      totalRevenue: 109.97,
      signupsBySource: { web: 1 },
    });
    expect(JSON.parse(text).recentEvents).toHaveLength(6);
  });

  it("GET /metrics/prometheus exposes the metrics contract's names and labels", async () => {
    const order = orderCreated("1.00");
    await feed(signup(), order, order, signup({ omit: ["ce_id"] }), signup({ type: "made.up.Type" }));
    await fetch(`${h.base}/metrics`);
    const res = await fetch(`${h.base}/metrics/prometheus`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toContain('polyglot_events_consumed_total{topic="user-events",type="polyglot.events.v1.UserSignupEvent",outcome="ok"} 1');
    expect(text).toContain('polyglot_events_consumed_total{topic="order-events",type="polyglot.events.v1.OrderCreatedEvent",outcome="ok"} 1');
    expect(text).toContain('polyglot_events_consumed_total{topic="order-events",type="polyglot.events.v1.OrderCreatedEvent",outcome="duplicate"} 1');
    expect(text).toContain('polyglot_events_consumed_total{topic="user-events",type="polyglot.events.v1.UserSignupEvent",outcome="dlq"} 1');
    // A type from the wire is never a label value unless it is a known one.
    expect(text).toContain('polyglot_events_consumed_total{topic="user-events",type="unknown",outcome="dlq"} 1');
    expect(text).not.toContain("made.up.Type");
    expect(text).toContain('polyglot_dlq_records_total{topic="user-events",reason="missing-header"} 1');
    expect(text).toContain('polyglot_dlq_records_total{topic="user-events",reason="unknown-type"} 1');
    // Both sign-ups with a ce_time, the dead-lettered one too.
    expect(text).toMatch(/polyglot_event_latency_seconds_count\{topic="user-events",type="polyglot.events.v1.UserSignupEvent"\} 2/);
    expect(text).toMatch(/http_server_requests_seconds_count\{method="GET",uri="\/metrics",status="200"\} 1/);
    expect(text).toMatch(/analytics_ws_clients 0/);
    expect(text).toContain("process_cpu_seconds_total");
  });

  it("GET /health is 503 until the consumer runs, then 200", async () => {
    const before = await fetch(`${h.base}/health`);
    expect(before.status).toBe(503);
    expect(await before.json()).toEqual({ status: "DOWN", components: { consumer: "starting" } });
    h.setConsumer("running");
    const after = await fetch(`${h.base}/health`);
    expect(after.status).toBe(200);
    expect(await after.json()).toEqual({ status: "UP", components: { consumer: "running" } });
  });

  it("GET /api/chains/{id} gives the chain; an unknown id is a 404 problem", async () => {
    const root = signup({ correlationId: "corr-42", id: "e-root" });
    await feed(root, orderCreated("0", { correlationId: "corr-42", causationId: "e-root" }));
    const res = await fetch(`${h.base}/api/chains/corr-42`);
    expect(res.status).toBe(200);
    const chain = (await res.json()) as { events: Array<{ type: string; parentId: string | null }> };
    expect(chain.events.map((e) => [e.type, e.parentId])).toEqual([
      ["UserSignupEvent", null],
      ["OrderCreatedEvent", "e-root"],
    ]);

    const malformed = await fetch(`${h.base}/api/chains/%E0%A4%A`);
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ errors: [{ field: "correlationId" }] });

    const missing = await fetch(`${h.base}/api/chains/nope`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(await missing.json()).toMatchObject({ status: 404, title: "Chain not found", type: expect.stringMatching(/^https:/) });
  });

  it("GET /api/chains lists the latest chains and validates limit", async () => {
    await feed(signup({ correlationId: "a" }), signup({ correlationId: "b" }));
    const res = await fetch(`${h.base}/api/chains?limit=1`);
    expect(await res.json()).toMatchObject({ chains: [{ correlationId: "b", eventCount: 1 }] });
    const bad = await fetch(`${h.base}/api/chains?limit=zero`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ errors: [{ field: "limit" }] });
  });

  it("echoes X-Correlation-ID, or makes one", async () => {
    const given = await fetch(`${h.base}/metrics`, { headers: { "X-Correlation-ID": "corr-given" } });
    expect(given.headers.get("x-correlation-id")).toBe("corr-given");
    const made = await fetch(`${h.base}/metrics`);
    expect(made.headers.get("x-correlation-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("serves the dashboard under /dashboard/ and redirects the bare path", async () => {
    const bare = await fetch(`${h.base}/dashboard`, { redirect: "manual" });
    expect(bare.status).toBe(302);
    expect(bare.headers.get("location")).toBe("/dashboard/");
    const index = await fetch(`${h.base}/dashboard/`);
    expect(index.status).toBe(200);
    expect(await index.text()).toContain("<title>analytics</title>");
    const asset = await fetch(`${h.base}/dashboard/assets/app.js`);
    expect(asset.headers.get("content-type")).toMatch(/javascript/);
    const escape = await fetch(`${h.base}/dashboard/..%2f..%2fetc%2fpasswd`);
    expect(await escape.text()).not.toContain("root:");
  });

  it("answers 503 under /dashboard/ while the dashboard is not built", async () => {
    rmSync(h.dashboardDir, { recursive: true, force: true });
    const res = await fetch(`${h.base}/dashboard/`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ title: "Dashboard not built" });
  });

  it("answers unknown paths and other methods with problem+json", async () => {
    const unknown = await fetch(`${h.base}/nothing-here`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    const post = await fetch(`${h.base}/metrics`, { method: "POST" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
  });

  it("answers a request target that is no URL path with a 400 problem, and keeps serving", async () => {
    // fetch() normalizes the path, so these go out raw, as a fuzzer or a broken client sends them.
    const raw = (target: string) =>
      new Promise<{ status: number; type: string }>((resolve, reject) => {
        const req = httpRequest(`${h.base}/`, { method: "PUT", path: target }, (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"]) });
        });
        req.on("error", reject);
        req.end();
      });
    for (const target of ["//", "///;["]) {
      expect(await raw(target)).toMatchObject({ status: 400, type: expect.stringMatching(/^application\/problem\+json/) });
    }
    expect((await fetch(`${h.base}/metrics`)).status).toBe(200);
  });
});

describe("/ws", () => {
  function connect() {
    const ws = new WebSocket(`${h.base.replace("http", "ws")}/ws`);
    const queue: WsMessage[] = [];
    const waiters: Array<(m: WsMessage) => void> = [];
    ws.on("message", (data) => {
      const message = JSON.parse(String(data)) as WsMessage;
      const waiter = waiters.shift();
      if (waiter) waiter(message);
      else queue.push(message);
    });
    const any = () =>
      new Promise<WsMessage>((resolve, reject) => {
        const queued = queue.shift();
        if (queued) return resolve(queued);
        const timer = setTimeout(() => reject(new Error("no ws message within 5 s")), 5_000);
        waiters.push((m) => {
          clearTimeout(timer);
          resolve(m);
        });
      });
    // The coalesced "metrics" message may come at any time; wait for the next one of `type`.
    const next = async <T extends WsMessage["type"]>(type: T): Promise<Extract<WsMessage, { type: T }>> => {
      for (;;) {
        const message = await any();
        if (message.type === type) return message as Extract<WsMessage, { type: T }>;
      }
    };
    return { ws, next, any };
  }

  it("sends a snapshot on connect, then each event, then the metrics", async () => {
    await feed(signup());
    const { ws, next, any } = connect();
    const snapshot = await any();
    expect(snapshot.type).toBe("snapshot");
    if (snapshot.type === "snapshot") expect(snapshot.metrics.userSignups).toBe(1);

    await feed(orderCreated("109.97", { correlationId: "corr-ws" }));
    const event = await next("event");
    expect(event).toMatchObject({ event: { type: "OrderCreatedEvent", correlationId: "corr-ws", service: "order-service" } });
    let metrics = await next("metrics");
    // A metrics message scheduled by the sign-up fed before connecting may come first.
    if (metrics.metrics.ordersCreated === 0) metrics = await next("metrics");
    expect(metrics.metrics).toMatchObject({ ordersCreated: 1, totalRevenue: 109.97 });
    ws.close();
  });

  it("refuses upgrades on other paths", async () => {
    const ws = new WebSocket(`${h.base.replace("http", "ws")}/other`);
    const error = await new Promise<Error>((resolve) => ws.on("error", resolve));
    expect(error.message).toMatch(/404/);
  });

  it("closes clients with 1001 on shutdown", async () => {
    const { ws, any } = connect();
    await any();
    const closed = new Promise<number>((resolve) => ws.on("close", (code) => resolve(code)));
    await h.broadcast.close();
    expect(await closed).toBe(1001);
  });
});
