// The one error type of analytics-service: a stable `code` to branch on, the cause kept.

export type AnalyticsErrorCode =
  | "CONFIG_INVALID"
  | "MONEY_INVALID"
  | "PUBLISH_FAILED";

export class AnalyticsError extends Error {
  override readonly name = "AnalyticsError";
  readonly code: AnalyticsErrorCode;

  constructor(code: AnalyticsErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** One line for logs and for the `dlq.error` header, whatever was thrown. */
export function errorLine(e: unknown): string {
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return text.replace(/\s*[\r\n]+\s*/g, " ").slice(0, 500);
}
