// The HTTP surface: /metrics, /health, /api/chains and the dashboard's static files.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { existsSync } from "node:fs";
import path from "node:path";
import sirv from "sirv";
import type { Logger } from "pino";
import type { ChainIndex } from "../analytics/chains.js";
import type { MetricsSnapshot } from "../analytics/snapshot.js";
import { errorLine } from "../errors.js";
import { sendJson, sendProblem } from "./problem.js";
import { inServerSpan } from "../telemetry/tracing.js";

export interface HttpDeps {
  readonly logger: Logger;
  readonly metrics: () => MetricsSnapshot;
  readonly chains: ChainIndex;
  /** Healthy once the consumer is in its group and reading. */
  readonly consumerState: () => string;
  readonly dashboardDir: string;
  /** The Prometheus text exposition of the service's own metrics. */
  readonly prometheus?: () => Promise<{ readonly contentType: string; readonly body: string }>;
  /** Told of every answer: the route template (never the raw path), status and seconds. */
  readonly onRequest?: (method: string, uri: string, status: number, seconds: number) => void;
  /** /api/admin/*: answers and returns true when the request is one of its routes. */
  readonly admin?: (req: IncomingMessage, res: ServerResponse, url: URL) => boolean;
  /** A trace in the trace backend's UI, for the chain view's link. */
  readonly traceUrl?: (traceId: string) => string;
  /** GET /api/ops: the Operations view's figures from Prometheus. */
  readonly ops?: () => Promise<unknown>;
}

const correlationHeader = "x-correlation-id";

const fixedRoutes = new Set([
  "/health",
  "/metrics",
  "/metrics/prometheus",
  "/api/chains",
  "/",
  "/dashboard",
  "/ws",
  "/api/admin/health",
  "/api/admin/lag",
  "/api/admin/signup",
  "/api/admin/orders",
  "/api/admin/outbox",
  "/api/ops",
]);

/** Routes the page polls or loads, and probes: no span each (they would bury the chains' traces). */
const untraced = new Set(["/health", "/metrics/prometheus", "/dashboard/{file}", "/dashboard", "/", "/ws", "/api/admin/health", "/api/admin/lag", "/api/admin/outbox", "/api/ops", "unknown"]);

/** The route a path belongs to, for metric labels: a bounded set, never the raw path. */
export function routeTemplate(pathname: string): string {
  if (fixedRoutes.has(pathname)) return pathname;
  if (pathname.startsWith("/api/chains/")) return "/api/chains/{correlationId}";
  if (pathname.startsWith("/dashboard/")) return "/dashboard/{file}";
  return "unknown";
}

export function createHttpServer(deps: HttpDeps): Server {
  const dashboardIndex = path.join(deps.dashboardDir, "index.html");
  // Made on first use: sirv lists the folder when it is created, and a service started before
  // its dashboard was built must still come up. `single`: an unknown path answers index.html.
  let dashboard: ReturnType<typeof sirv> | undefined;

  const routes = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    const { pathname } = url;
    if (pathname === "/health") {
      const consumer = deps.consumerState();
      const up = consumer === "running";
      sendJson(res, up ? 200 : 503, { status: up ? "UP" : "DOWN", components: { consumer } });
      return;
    }
    if (pathname === "/metrics") {
      sendJson(res, 200, deps.metrics());
      return;
    }
    if (pathname === "/metrics/prometheus" && deps.prometheus !== undefined) {
      deps.prometheus().then(
        ({ contentType, body }) => {
          res.writeHead(200, { "content-type": contentType });
          res.end(body);
        },
        (e: unknown) => {
          deps.logger.error({ err: errorLine(e) }, "prometheus metrics failed");
          sendProblem(res, { status: 500, title: "Internal error", detail: "could not collect the metrics" });
        },
      );
      return;
    }
    if (pathname === "/api/ops" && deps.ops !== undefined) {
      deps.ops().then(
        (answer) => sendJson(res, 200, answer),
        (e: unknown) => sendProblem(res, { status: 502, title: "Prometheus unavailable", detail: errorLine(e) }),
      );
      return;
    }
    if (pathname === "/api/chains") {
      const raw = url.searchParams.get("limit") ?? "20";
      const limit = Number(raw);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
        sendProblem(res, {
          status: 400,
          title: "Invalid request",
          detail: "limit must be an integer from 1 to 1000",
          errors: [{ field: "limit", message: `must be an integer from 1 to 1000, got ${raw.slice(0, 32)}` }],
        });
        return;
      }
      sendJson(res, 200, { chains: deps.chains.latest(limit) });
      return;
    }
    if (pathname.startsWith("/api/chains/")) {
      let id: string;
      try {
        id = decodeURIComponent(pathname.slice("/api/chains/".length));
      } catch {
        sendProblem(res, {
          status: 400,
          title: "Invalid request",
          detail: "the correlation id is not valid percent-encoding",
          errors: [{ field: "correlationId", message: "not valid percent-encoding" }],
        });
        return;
      }
      const chain = deps.chains.get(id);
      if (chain === undefined) {
        sendProblem(res, { status: 404, title: "Chain not found", detail: `no events with correlation id ${id}` });
        return;
      }
      sendJson(res, 200, chain.traceId !== null && deps.traceUrl !== undefined ? { ...chain, traceUrl: deps.traceUrl(chain.traceId) } : chain);
      return;
    }
    if (pathname === "/" || pathname === "/dashboard") {
      res.writeHead(302, { location: "/dashboard/" });
      res.end();
      return;
    }
    if (pathname.startsWith("/dashboard/")) {
      if (!existsSync(dashboardIndex)) {
        sendProblem(res, { status: 503, title: "Dashboard not built", detail: `no ${dashboardIndex}: run npm run build` });
        return;
      }
      // The dashboard is built with base "/dashboard/"; its files sit at the root of the folder.
      req.url = pathname.slice("/dashboard".length) + url.search;
      dashboard ??= sirv(deps.dashboardDir, { single: true, etag: true, dev: false });
      dashboard(req, res, () => sendProblem(res, { status: 404, title: "Not found", detail: pathname }));
      return;
    }
    sendProblem(res, { status: 404, title: "Not found", detail: `no resource at ${pathname}` });
  };

  const handle = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    const correlationId = req.headers[correlationHeader];
    res.setHeader("X-Correlation-ID", typeof correlationId === "string" && correlationId !== "" ? correlationId : randomUUID());
    if (deps.admin?.(req, res, url) === true) return;
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.setHeader("allow", "GET, HEAD");
      sendProblem(res, { status: 405, title: "Method not allowed", detail: `${req.method ?? "?"} ${url.pathname}: only GET` });
      return;
    }
    try {
      routes(req, res, url);
    } catch (e: unknown) {
      deps.logger.error({ err: errorLine(e), path: url.pathname }, "request failed");
      if (!res.headersSent) sendProblem(res, { status: 500, title: "Internal error", detail: "the request failed; see the service log" });
    }
  };

  return createServer((req, res) => {
    const started = performance.now();
    const url = new URL(req.url ?? "/", "http://localhost");
    const uri = routeTemplate(url.pathname);
    if (deps.onRequest !== undefined) {
      const report = deps.onRequest;
      res.once("finish", () => report(req.method ?? "?", uri, res.statusCode, (performance.now() - started) / 1000));
    }
    if (untraced.has(uri)) {
      handle(req, res, url);
      return;
    }
    const traceparent = req.headers["traceparent"];
    inServerSpan({ method: req.method ?? "?", route: uri, path: url.pathname, traceparent: typeof traceparent === "string" ? traceparent : undefined }, res, () => handle(req, res, url));
  });
}
