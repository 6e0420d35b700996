// /api/admin/*: what the dashboard's admin panel needs from the rest of the system, so that the
// page talks only to analytics-service: component health, consumer lag, and the demo's own calls
// (sign up, place an order) passed through unchanged, and the newest e-mails of the SMTP sink
// (Mailpit), one page of its listing whatever the sink holds.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { LagRow } from "../admin/lag.js";
import { forward, probe, type Upstream } from "../admin/upstreams.js";
import { errorLine } from "../errors.js";
import { sendJson, sendProblem } from "./problem.js";

export interface AdminDeps {
  readonly logger: Logger;
  readonly user: Upstream;
  readonly order: Upstream;
  readonly notification: Upstream;
  /** Mailpit: GET /api/v1/messages for the list, and its web UI for the panel's link. */
  readonly mailSinkUrl: string;
  readonly lag: () => Promise<LagRow[]>;
}

const maxBody = 64 * 1024;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBody) throw new RangeError(`request body over ${maxBody} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** How many of the newest e-mails the panel lists. */
const outboxPage = 20;

/** The part of Mailpit's GET /api/v1/messages answer the panel shows. */
interface MailpitPage {
  readonly messages_count: number;
  readonly messages: ReadonlyArray<{ ID: string; To: ReadonlyArray<{ Address: string }> | null; Subject: string; Created: string }>;
}

export interface Outbox {
  /** Mailpit's web UI. */
  readonly ui: string;
  /** Every mail the sink holds. */
  readonly total: number;
  /** The newest, newest first; `url` opens one in Mailpit's UI. */
  readonly messages: ReadonlyArray<{ to: string[]; subject: string; received_at: string; url: string }>;
}

export function toOutbox(sinkUrl: string, page: MailpitPage): Outbox {
  return {
    ui: `${sinkUrl}/`,
    total: page.messages_count,
    messages: page.messages.map((m) => ({ to: (m.To ?? []).map((a) => a.Address), subject: m.Subject, received_at: m.Created, url: `${sinkUrl}/view/${m.ID}` })),
  };
}

/** Answers the request when it is an admin route; false when it is not one. */
export function createAdminRoutes(deps: AdminDeps): (req: IncomingMessage, res: ServerResponse, url: URL) => boolean {
  const passThrough = async (req: IncomingMessage, res: ServerResponse, target: string, method: "GET" | "POST"): Promise<void> => {
    let body: string | undefined;
    if (method === "POST") {
      try {
        body = await readBody(req);
      } catch (e: unknown) {
        sendProblem(res, { status: 413, title: "Request too large", detail: errorLine(e) });
        return;
      }
    }
    const correlationId = res.getHeader("X-Correlation-ID");
    try {
      const answer = await forward(target, {
        method,
        ...(body === undefined ? {} : { body }),
        ...(typeof correlationId === "string" ? { correlationId } : {}),
      });
      // The chain's id as the service that started it knows it.
      if (answer.correlationId !== null) res.setHeader("X-Correlation-ID", answer.correlationId);
      res.writeHead(answer.status, { "content-type": answer.contentType });
      res.end(answer.body);
    } catch (e: unknown) {
      deps.logger.warn({ target, err: errorLine(e) }, "admin call failed");
      sendProblem(res, { status: 502, title: "Bad gateway", detail: `${target}: ${errorLine(e)}` });
    }
  };

  const newestMails = async (res: ServerResponse): Promise<void> => {
    const target = `${deps.mailSinkUrl}/api/v1/messages?limit=${outboxPage}`;
    try {
      const answer = await forward(target, { method: "GET" });
      if (answer.status !== 200) throw new Error(`answered ${answer.status}`);
      sendJson(res, 200, toOutbox(deps.mailSinkUrl, JSON.parse(answer.body) as MailpitPage));
    } catch (e: unknown) {
      deps.logger.warn({ target, err: errorLine(e) }, "admin call failed");
      sendProblem(res, { status: 502, title: "Bad gateway", detail: `${target}: ${errorLine(e)}` });
    }
  };

  const routes: ReadonlyArray<{ method: string; path: string; run: (req: IncomingMessage, res: ServerResponse) => Promise<void> }> = [
    {
      method: "GET",
      path: "/api/admin/health",
      run: async (_req, res) => {
        const components = await Promise.all([deps.user, deps.order, deps.notification].map((u) => probe(u)));
        sendJson(res, 200, { components });
      },
    },
    {
      method: "GET",
      path: "/api/admin/lag",
      run: async (_req, res) => {
        try {
          sendJson(res, 200, { lag: await deps.lag() });
        } catch (e: unknown) {
          sendProblem(res, { status: 503, title: "Lag unavailable", detail: errorLine(e) });
        }
      },
    },
    { method: "POST", path: "/api/admin/signup", run: (req, res) => passThrough(req, res, `${deps.user.baseUrl}/api/users/signup`, "POST") },
    { method: "POST", path: "/api/admin/orders", run: (req, res) => passThrough(req, res, `${deps.order.baseUrl}/api/orders`, "POST") },
    { method: "GET", path: "/api/admin/outbox", run: (_req, res) => newestMails(res) },
  ];

  return (req, res, url) => {
    const matching = routes.filter((r) => r.path === url.pathname);
    if (matching.length === 0) return false;
    const route = matching.find((r) => r.method === req.method);
    if (route === undefined) {
      res.setHeader("allow", matching.map((r) => r.method).join(", "));
      sendProblem(res, { status: 405, title: "Method not allowed", detail: `${req.method ?? "?"} ${url.pathname}` });
      return true;
    }
    route.run(req, res).catch((e: unknown) => {
      deps.logger.error({ err: errorLine(e), path: url.pathname }, "admin request failed");
      if (!res.headersSent) sendProblem(res, { status: 500, title: "Internal error", detail: "the request failed; see the service log" });
    });
    return true;
  };
}
