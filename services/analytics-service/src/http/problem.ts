// RFC 9457 problem details, the one error body every HTTP answer of the system uses.
import type { ServerResponse } from "node:http";

export interface Problem {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  /** For validation errors: each bad field and what is wrong with it. */
  readonly errors?: ReadonlyArray<{ readonly field: string; readonly message: string }>;
}

const typeBase = "https://kafka-polyglot.dev/problems/";

export function sendProblem(res: ServerResponse, problem: Problem): void {
  const slug = problem.title.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  sendJson(res, problem.status, { type: `${typeBase}${slug}`, ...problem }, "application/problem+json");
}

export function sendJson(res: ServerResponse, status: number, body: unknown, contentType = "application/json"): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": `${contentType}; charset=utf-8`, "content-length": Buffer.byteLength(text) });
  res.end(text);
}
