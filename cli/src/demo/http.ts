// The few HTTP calls the demo makes, with answers kept whole so they can be printed as they came.

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

async function call(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: { accept: "application/json", ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error: unknown) {
    throw new Error(`${method} ${url} failed: ${error instanceof Error ? error.message : String(error)}; is the stack up? (./polyglot status)`);
  }
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === "" ? undefined : JSON.parse(text);
  } catch {
    // Not JSON: keep the text, the caller prints it.
  }
  return { status: response.status, headers: Object.fromEntries(response.headers), body: parsed };
}

export const http = {
  get: (url: string, headers?: Record<string, string>) => call("GET", url, undefined, headers),
  post: (url: string, body: unknown, headers?: Record<string, string>) => call("POST", url, body, headers),
  patch: (url: string, body: unknown, headers?: Record<string, string>) => call("PATCH", url, body, headers),
};
