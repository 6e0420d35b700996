// Raw bad input that an OpenAPI document does not describe, from fast-check: request targets that
// are not clean paths, and bodies that are not the JSON an endpoint takes. No answer may be a 5xx,
// the server must answer at all (no crash), and a rejected body gets problem+json naming the
// field (or `body`). Each service must still be healthy afterwards.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { rawRequest, requestHead } from "../support/raw-http.js";
import { healthUrls, stackUrls } from "../support/stack.js";

/** Fixed, so a failure reproduces; each run stops at its first failure (a dead service fails every later input, so shrinking would only mislead). */
const runs = { seed: 20261125, numRuns: 60, endOnFailure: true } as const;

const urls = stackUrls();
const health = new Map(healthUrls().map((h) => [h.service, h.url]));

interface Target {
  readonly service: string;
  readonly base: string;
  /** Paths the service serves, as starting points. */
  readonly paths: readonly string[];
  /** The endpoints that take a JSON body. */
  readonly bodies: ReadonlyArray<{ readonly method: string; readonly path: string }>;
}

const targets: readonly Target[] = [
  { service: "user-service", base: urls.user, paths: ["/api/users", "/api/users/signup", "/actuator/health"], bodies: [{ method: "POST", path: "/api/users/signup" }, { method: "PATCH", path: "/api/users/00000000-0000-0000-0000-000000000000" }] },
  { service: "order-service", base: urls.order, paths: ["/api/orders", "/api/orders/x", "/health"], bodies: [{ method: "POST", path: "/api/orders" }] },
  { service: "notification-service", base: urls.notification, paths: ["/api/notifications", "/health"], bodies: [] },
  { service: "analytics-service", base: urls.analytics, paths: ["/api/chains", "/api/chains/x", "/metrics", "/dashboard/", "/api/admin/lag"], bodies: [{ method: "POST", path: "/api/admin/signup" }, { method: "POST", path: "/api/admin/orders" }] },
];

// Pieces of request targets that parsers trip over: empty authorities, bad percent-escapes, brackets, raw non-ASCII.
const piece = fc.constantFrom("/", "//", "%", "%zz", "%00", "%2F", "%C0%AF", "[", "]", "[::1", "?", "?=", "?&", "#", "..", "/..", "@", ":", ":99999", ";", "=", "&", "*", "\\", "|", "{", "}", "^", "`", "\u00e9", "a", "0", "~");
const start = (paths: readonly string[]): fc.Arbitrary<string> => fc.constantFrom("/", "//", "*", "http://127.0.0.1", "http://[", ...paths);
const method = fc.constantFrom("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

const jsonish = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  // The endpoints' own field names with values of every JSON type.
  fc.dictionary(fc.constantFrom("email", "name", "phone", "source", "user_id", "items", "product_id", "quantity", "price"), fc.jsonValue(), { minKeys: 1 }).map((v) => JSON.stringify(v)),
  fc.record({ user_id: fc.jsonValue(), items: fc.array(fc.dictionary(fc.constantFrom("product_id", "quantity", "price", "product_name", "x"), fc.jsonValue()), { maxLength: 3 }) }).map((v) => JSON.stringify(v)),
  fc.string({ unit: "binary", maxLength: 64 }),
  fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b).toString("latin1")),
);
const contentType = fc.constantFrom("application/json", "application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data", "application/json; charset=nonsense", "");

function problemOf(body: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

async function expectHealthy(service: string): Promise<void> {
  const url = health.get(service) ?? "";
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) }).catch((e: unknown) => {
    throw new Error(`${service} does not answer ${url}: ${e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e)} (read ./polyglot logs ${service})`);
  });
  expect(response.status, `${service} ${url}`).toBe(200);
}

describe.each(targets)("$service", ({ service, base, paths, bodies }) => {
  const host = new URL(base).host;

  it("a request target that is not a clean path -> an answer below 500, never a dropped connection", async () => {
    await fc.assert(
      fc.asyncProperty(method, start(paths), fc.array(piece, { maxLength: 6 }), async (m, first, rest) => {
        const target = first + rest.join("");
        let answer;
        try {
          answer = await rawRequest(base, requestHead(m, target, host));
        } catch (e: unknown) {
          throw new Error(`${m} ${target}: ${e instanceof Error ? e.message : String(e)}`);
        }
        expect(answer.status, `${m} ${target}: no HTTP answer`).toBeGreaterThan(0);
        expect(answer.status, `${m} ${target}`).toBeLessThan(500);
      }),
      runs,
    );
  });

  it.skipIf(bodies.length === 0)("a body that is not the JSON the endpoint takes -> 4xx problem+json naming the field", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...bodies), jsonish, contentType, async (endpoint, body, type) => {
        const where = `${endpoint.method} ${endpoint.path} (${type || "no content type"}) ${JSON.stringify(body).slice(0, 200)}`;
        const response = await fetch(`${base}${endpoint.path}`, {
          method: endpoint.method,
          headers: type === "" ? {} : { "content-type": type },
          body: Buffer.from(body, "latin1"),
          signal: AbortSignal.timeout(15_000),
        });
        const text = await response.text();
        expect(response.status, `${where} -> ${text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
        expect(response.status, `${where} -> ${text.slice(0, 300)}`).toBeLessThan(500);
        expect(response.headers.get("content-type") ?? "", `${where} content type`).toMatch(/^application\/problem\+json/);
        const problem = problemOf(text);
        expect(problem.status, `${where} problem status`).toBe(response.status);
        for (const member of ["type", "title", "detail"]) expect(typeof problem[member], `${where} problem.${member}`).toBe("string");
        // A rejected body says which field: the body itself counts (not JSON, wrong media type).
        if (response.status === 400 || response.status === 422) {
          const errors = problem.errors as Array<{ field?: unknown }> | undefined;
          expect(Array.isArray(errors) && errors.length > 0, `${where} -> ${text.slice(0, 300)}: no errors list`).toBe(true);
          for (const e of errors ?? []) expect(typeof e.field === "string" && e.field !== "", `${where} errors entry ${JSON.stringify(e)}`).toBe(true);
        }
      }),
      { ...runs, numRuns: 40 },
    );
  });

  it("is still healthy afterwards", async () => {
    await expectHealthy(service);
  });
});
