// The CloudEvents headers (Kafka binding, binary mode) that every record of the contract carries.

/** Header names of the contract. */
export const Headers = {
  specVersion: "ce_specversion",
  id: "ce_id",
  source: "ce_source",
  type: "ce_type",
  time: "ce_time",
  correlationId: "ce_correlationid",
  causationId: "ce_causationid",
  traceparent: "traceparent",
  contentType: "content-type",
} as const;

/** What analytics reads from a record's headers, the value left undecoded. */
export interface Envelope {
  readonly id: string;
  readonly type: string;
  /** The producing service, without the leading slash of ce_source. */
  readonly service: string;
  /** ce_time as the producer wrote it. */
  readonly time: string;
  /** ce_time in epoch milliseconds. */
  readonly timeMs: number;
  readonly correlationId: string;
  /** Empty on a root event. */
  readonly causationId: string;
  /** W3C trace context, empty when the producer sent none. */
  readonly traceparent: string;
}

export type EnvelopeResult =
  | { readonly ok: true; readonly envelope: Envelope }
  | { readonly ok: false; readonly error: string };

// ce_causationid may legitimately be empty, so it is the one header not listed here.
const required = [Headers.id, Headers.type, Headers.source, Headers.time, Headers.correlationId] as const;

// RFC 3339 with a mandatory zone: Date.parse alone would also take "2026-01-01" or local times.
const rfc3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * Reads the envelope from decoded header strings. A header that is absent or empty is
 * missing, and so is a ce_time that is not RFC 3339: both make the record a `missing-header`.
 */
export function readEnvelope(headers: ReadonlyMap<string, string>): EnvelopeResult {
  const missing = required.filter((name) => (headers.get(name) ?? "") === "");
  if (missing.length > 0) return { ok: false, error: `missing header(s): ${missing.join(", ")}` };
  const time = headers.get(Headers.time) ?? "";
  const timeMs = Date.parse(time);
  if (!rfc3339.test(time) || Number.isNaN(timeMs)) {
    return { ok: false, error: `ce_time is not RFC 3339: ${time.slice(0, 64)}` };
  }
  const source = headers.get(Headers.source) ?? "";
  return {
    ok: true,
    envelope: {
      id: headers.get(Headers.id) ?? "",
      type: headers.get(Headers.type) ?? "",
      service: source.startsWith("/") ? source.slice(1) : source,
      time,
      timeMs,
      correlationId: headers.get(Headers.correlationId) ?? "",
      causationId: headers.get(Headers.causationId) ?? "",
      traceparent: headers.get(Headers.traceparent) ?? "",
    },
  };
}

/** Each record's headers as strings, decoded once: the consumer, the decoder and the metrics all read them. */
const decodedHeaders = new WeakMap<Iterable<readonly [Buffer, Buffer]>, ReadonlyMap<string, string>>();

/** Record headers as strings; when a name repeats, the last one wins (as Kafka's lastHeader). */
export function headerStrings(headers: Iterable<readonly [Buffer, Buffer]>): ReadonlyMap<string, string> {
  const cached = decodedHeaders.get(headers);
  if (cached !== undefined) return cached;
  const result = new Map<string, string>();
  for (const [key, value] of headers) result.set(key.toString("utf8"), value.toString("utf8"));
  decodedHeaders.set(headers, result);
  return result;
}
