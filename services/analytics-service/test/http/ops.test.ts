// /api/ops' reading of Prometheus' query API, against a fake Prometheus (the stack suite uses the real one).
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { opsQueries, readOps } from "../../src/http/ops.js";

let prometheus: Server;
let url: string;
const asked: string[] = [];

beforeAll(async () => {
  prometheus = createServer((req, res) => {
    const u = new URL(req.url ?? "/", "http://x");
    res.setHeader("content-type", "application/json");
    if (u.pathname === "/api/v1/alerts") {
      res.end(JSON.stringify({ status: "success", data: { alerts: [
        { labels: { alertname: "TargetDown", severity: "warning", job: "user-service" }, state: "firing", activeAt: "2026-11-25T09:00:00Z" },
        { labels: { alertname: "ConsumerLagHigh", severity: "critical" }, state: "pending" },
      ] } }));
      return;
    }
    const query = u.searchParams.get("query") ?? "";
    asked.push(query);
    if (query === opsQueries.chainLatencyP95) {
      res.statusCode = 400;
      res.end(JSON.stringify({ status: "error", error: "bad query" }));
      return;
    }
    const result = query === "up" ? [{ metric: { job: "order-service", instance: "127.0.0.1:8081" }, value: [1, "1"] }, { metric: { job: "user-service" }, value: [1, "0"] }] : query === opsQueries.latencyP95 ? [{ metric: { job: "order-service" }, value: [1, "NaN"] }] : [];
    res.end(JSON.stringify({ status: "success", data: { resultType: "vector", result } }));
  });
  prometheus.listen(0, "127.0.0.1");
  await once(prometheus, "listening");
  url = `http://127.0.0.1:${(prometheus.address() as AddressInfo).port}`;
});

afterAll(() => {
  prometheus.close();
});

describe("readOps", () => {
  it("runs every fixed query, keeps the firing alerts, and names the queries that failed", async () => {
    const answer = await readOps(url, () => new Date("2026-11-25T10:00:00Z"));
    expect(asked.sort()).toEqual(Object.values(opsQueries).sort());
    expect(answer.series.targetsUp).toEqual([
      { labels: { job: "order-service", instance: "127.0.0.1:8081" }, value: 1 },
      { labels: { job: "user-service" }, value: 0 },
    ]);
    expect(answer.series.latencyP95).toEqual([{ labels: { job: "order-service" }, value: null }]);
    expect(answer.alerts).toEqual([{ name: "TargetDown", state: "firing", severity: "warning", labels: { alertname: "TargetDown", severity: "warning", job: "user-service" }, activeAt: "2026-11-25T09:00:00Z" }]);
    expect(answer.errors).toEqual({ chainLatencyP95: "bad query" });
    expect(answer.at).toBe("2026-11-25T10:00:00.000Z");
  });

  it("throws when Prometheus does not answer at all", async () => {
    const closed = createServer();
    closed.listen(0, "127.0.0.1");
    await once(closed, "listening");
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await expect(readOps(`http://127.0.0.1:${port}`)).rejects.toThrow(/does not answer/);
  });
});
