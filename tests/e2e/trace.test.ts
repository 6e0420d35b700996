// Issue 10: one sign-up is one trace across Java, Go, Python and Node, read back from the trace
// backend's API (Zipkin), each hop's span a child of the span that produced its record.
import { randomBytes } from "node:crypto";
import { expect, it } from "vitest";
import { http } from "../../cli/src/demo/http.js";
import { stackComponents } from "../../cli/src/stack/components/index.js";
import { createStackEnv } from "../../cli/src/stack/stack-env.js";
import { stackUrls } from "./stack-urls.js";

interface Span {
  readonly id: string;
  readonly parentId?: string;
  readonly name: string;
  readonly kind?: string;
  readonly localEndpoint: { readonly serviceName: string };
}

it("a sign-up is one trace with spans of all four services, each hop under the span that sent its record", async () => {
  const env = createStackEnv(1, process.env);
  const zipkinUi = stackComponents(env).find((c) => c.name === "zipkin")?.url?.(env);
  expect(zipkinUi, "the stack has a zipkin component").toBeDefined();
  const zipkin = new URL(zipkinUi as string).origin;
  const traceId = randomBytes(16).toString("hex");
  const callerSpan = randomBytes(8).toString("hex");
  const signup = await http.post(
    `${stackUrls().user}/api/users/signup`,
    { email: `trace-${callerSpan}@example.com`, name: "Trace User" },
    { traceparent: `00-${traceId}-${callerSpan}-01` },
  );
  expect(signup.status).toBe(201);

  const services = ["user-service", "order-service", "notification-service", "analytics-service"];
  let spans: Span[] = [];
  // Spans reach Zipkin in batches, a few seconds after the work: wait, bounded, for every hop.
  const has = (service: string, name: string) => spans.some((s) => s.localEndpoint.serviceName === service && s.name === name);
  await expect
    .poll(
      async () => {
        const answer = await http.get(`${zipkin}/api/v2/trace/${traceId}`);
        spans = answer.status === 200 ? (answer.body as Span[]) : [];
        return (
          services.every((svc) => spans.some((s) => s.localEndpoint.serviceName === svc)) &&
          spans.some((s) => s.localEndpoint.serviceName === "user-service" && s.kind === "SERVER") &&
          has("user-service", "user-events publish") &&
          ["order-service", "notification-service", "analytics-service"].every((svc) => has(svc, "user-events process")) &&
          has("order-service", "order-events publish") &&
          has("notification-service", "order-events process") &&
          has("notification-service", "notification-events publish") &&
          has("analytics-service", "notification-events process")
        );
      },
      { timeout: 60_000, interval: 1_000 },
    )
    .toBe(true);

  const byId = new Map(spans.map((s) => [s.id, s]));
  const parentOf = (s: Span) => (s.parentId === undefined ? undefined : byId.get(s.parentId));
  const only = (service: string, name: string, kind?: string): Span[] =>
    spans.filter((s) => s.localEndpoint.serviceName === service && s.name === name && (kind === undefined || s.kind === kind));
  const describe = (s: Span | undefined) => (s ? `${s.localEndpoint.serviceName}: ${s.name}` : "none");

  // Java: the request continues the caller's trace; its publication is a child of the request.
  const [server] = spans.filter((s) => s.localEndpoint.serviceName === "user-service" && s.kind === "SERVER");
  expect(server?.parentId, "user-service's request span continues the caller's span").toBe(callerSpan);
  const [publish] = only("user-service", "user-events publish", "PRODUCER");
  expect(describe(parentOf(publish as Span))).toBe(describe(server));

  // Go, Python and Node each consume the sign-up under Java's producer span.
  for (const service of ["order-service", "notification-service", "analytics-service"]) {
    const consumers = only(service, "user-events process");
    expect(consumers.length, `${service} consumed the sign-up in this trace`).toBeGreaterThan(0);
    for (const c of consumers) expect(describe(parentOf(c)), `${service}'s consumer span`).toBe(describe(publish));
  }

  // Go's welcome order, then Python's e-mail about it, then Node counting that e-mail.
  for (const s of only("order-service", "order-events publish")) {
    expect(parentOf(s)?.localEndpoint.serviceName, "order-service publishes while consuming").toBe("order-service");
  }
  for (const c of only("notification-service", "order-events process")) {
    expect(describe(parentOf(c))).toBe("order-service: order-events publish");
  }
  for (const c of only("analytics-service", "notification-events process")) {
    expect(describe(parentOf(c))).toBe("notification-service: notification-events publish");
  }
}, 90_000);
