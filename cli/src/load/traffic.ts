// The two requests of a load run, each timed: a sign-up of a user of this run (unique e-mail),
// and an order of a user whose welcome order was seen. No retries: an open-loop generator
// reports what the system answered, it does not hide it.

export interface Answer {
  /** The HTTP status, or 0 when no answer came (then `error` says why). */
  readonly status: number;
  readonly ms: number;
  readonly body: Record<string, unknown>;
  readonly error?: string;
}

/** How long one request may take before it counts as an error ("timeout"). */
export const requestTimeoutMs = 30_000;

async function post(url: string, body: unknown, headers: Record<string, string>): Promise<Answer> {
  const started = performance.now();
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { accept: "application/json", "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
    const text = await response.text();
    const ms = performance.now() - started;
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
    } catch {
      parsed = { text };
    }
    return { status: response.status, ms, body: parsed };
  } catch (error: unknown) {
    const ms = performance.now() - started;
    const e = error instanceof Error ? error : new Error(String(error));
    const cause = e.cause instanceof Error ? ((e.cause as NodeJS.ErrnoException).code ?? e.cause.message) : undefined;
    return { status: 0, ms, body: {}, error: e.name === "TimeoutError" ? "timeout" : (cause ?? e.message) };
  }
}

/** What an answer counts as in "errors by kind": `HTTP 503`, `ECONNREFUSED`, `timeout`. */
export function errorKind(a: Answer): string {
  return a.status === 0 ? (a.error ?? "no answer") : `HTTP ${a.status}`;
}

const sources = ["web", "mobile", "api", "social"] as const;

export function signUp(userUrl: string, run: string, i: number, correlationId: string): Promise<Answer> {
  return post(`${userUrl}/api/users/signup`, { email: `load-${run}-${i}@example.com`, name: `Load user ${i}`, source: sources[i % sources.length] }, { "x-correlation-id": correlationId });
}

/** One item, 10.00: under the payment limit, so the order is approved and ships (the order chain of chain-expectations.ts). */
export function placeOrder(orderUrl: string, userId: string, correlationId: string, idempotencyKey: string): Promise<Answer> {
  return post(`${orderUrl}/api/orders`, { user_id: userId, items: [{ product_id: "prod_load", quantity: 1, price: 10 }] }, { "x-correlation-id": correlationId, "idempotency-key": idempotencyKey });
}
