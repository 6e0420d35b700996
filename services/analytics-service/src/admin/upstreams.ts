// The other services, as the dashboard's admin panel sees them through analytics-service: their
// health, and the few calls the panel makes (sign up, place an order, read the SMTP sink).
import { inClientSpan } from "../telemetry/tracing.js";
export interface Upstream {
  readonly name: string;
  readonly language: string;
  readonly baseUrl: string;
  readonly healthPath: string;
}

export interface ComponentHealth {
  readonly name: string;
  readonly language: string;
  readonly url: string;
  readonly healthy: boolean;
  /** The HTTP status, or why there was none ("connection refused", "timeout"). */
  readonly detail: string;
  readonly millis: number;
}

export async function probe(upstream: Upstream, timeoutMs = 2_000): Promise<ComponentHealth> {
  const url = `${upstream.baseUrl}${upstream.healthPath}`;
  const started = performance.now();
  const base = { name: upstream.name, language: upstream.language, url };
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    await res.body?.cancel();
    return { ...base, healthy: res.ok, detail: `HTTP ${res.status}`, millis: Math.round(performance.now() - started) };
  } catch (e: unknown) {
    const detail = e instanceof Error && e.name === "TimeoutError" ? "timeout" : describeFetchError(e);
    return { ...base, healthy: false, detail, millis: Math.round(performance.now() - started) };
  }
}

function describeFetchError(e: unknown): string {
  const cause = e instanceof Error ? (e.cause as NodeJS.ErrnoException | undefined) : undefined;
  if (cause?.code === "ECONNREFUSED") return "connection refused";
  return e instanceof Error ? e.message : String(e);
}

/** An upstream answer passed through as it came: status, content type and body text. */
export interface Forwarded {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  readonly correlationId: string | null;
}

export async function forward(
  url: string,
  init: { method: "GET" | "POST"; body?: string; correlationId?: string },
  timeoutMs = 10_000,
): Promise<Forwarded> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (init.body !== undefined) headers["content-type"] = "application/json";
  if (init.correlationId !== undefined) headers["x-correlation-id"] = init.correlationId;
  // A sign-up from the dashboard starts its trace here: the upstream continues our traceparent.
  return inClientSpan(init.method, url, headers, async () => {
    // The signal bounds the whole exchange, body included.
    const res = await fetch(url, {
      method: init.method,
      headers,
      ...(init.body === undefined ? {} : { body: init.body }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    return {
      status: res.status,
      contentType: res.headers.get("content-type") ?? "application/json",
      body: await res.text(),
      correlationId: res.headers.get("x-correlation-id"),
    };
  });
}
