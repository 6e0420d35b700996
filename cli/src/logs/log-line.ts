// One line of a component's log, read the way every part of the stack writes it.
//
// Accepted shapes (what the services on this repository emit, and the usual neighbours):
// - A JSON object per line. Time from the first of `time`, `timestamp`, `ts`, `@timestamp`:
//   an RFC 3339 / ISO 8601 string with any number of fraction digits and `Z` or an offset
//   (Go slog `time` with nanoseconds, Logback's `@timestamp`, python-json-logger's
//   `2026-11-25T09:01:08.018246+00:00`, pino's isoTime), or a number of epoch seconds,
//   milliseconds, microseconds or nanoseconds (zap's `ts`, pino's default `time`), told apart
//   by magnitude. Level from `level` (a name in any case, or pino's numbers 10..60) or
//   `levelname`/`severity`. Message from `msg` or `message`. Service from `service`.
//   Correlation id from `correlation_id` or `correlationId`.
// - Anything else (Kafka's log4j lines `[2026-11-25T09:14:23,412] INFO ...`, librdkafka's
//   `%4|1795597263.558|...`, a stack trace): kept as text. A leading ISO 8601 date in
//   brackets is read as the time, in this machine's time zone (the broker runs here too).
//   A line with no time of its own takes the time of the line before it in the same file.

export interface LogTime {
  /** Milliseconds since the epoch. */
  readonly ms: number;
  /** Nanoseconds within that millisecond (0..999999), so lines of one millisecond keep their order. */
  readonly ns: number;
}

export interface LogLine {
  readonly raw: string;
  /** The parsed object when the line is JSON. */
  readonly fields?: Readonly<Record<string, unknown>>;
  readonly time?: LogTime;
  readonly level?: string;
  readonly service?: string;
  readonly message?: string;
  readonly correlationId?: string;
}

const timeFields = ["time", "timestamp", "ts", "@timestamp"] as const;
const pinoLevels: Readonly<Record<number, string>> = { 10: "TRACE", 20: "DEBUG", 30: "INFO", 40: "WARN", 50: "ERROR", 60: "FATAL" };

const isoPattern = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:[.,](\d+))?(Z|[+-]\d{2}:?\d{2})?$/i;

/** Parses an ISO 8601 / RFC 3339 time keeping all fraction digits; without a zone it is local time. */
export function parseIsoTime(text: string): LogTime | undefined {
  const m = isoPattern.exec(text.trim());
  if (m === null) return undefined;
  const [, date, clock, fraction = "", zone] = m;
  const zoneText = zone === undefined ? "" : zone.toUpperCase() === "Z" ? "Z" : zone.includes(":") ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const seconds = Date.parse(`${date}T${clock}${zoneText}`);
  if (Number.isNaN(seconds)) return undefined;
  const digits = fraction.padEnd(9, "0").slice(0, 9);
  return { ms: seconds + Number(digits.slice(0, 3)), ns: Number(digits.slice(3)) };
}

/** Epoch seconds, milliseconds, microseconds or nanoseconds, told apart by size (all after 2001). */
export function parseEpoch(value: number): LogTime | undefined {
  if (!Number.isFinite(value) || value <= 0) return undefined;
  if (value >= 1e17) return { ms: Math.floor(value / 1e6), ns: Math.round(value % 1e6) };
  if (value >= 1e14) return { ms: Math.floor(value / 1e3), ns: Math.round((value % 1e3) * 1e3) };
  if (value >= 1e11) return { ms: Math.floor(value), ns: Math.round((value % 1) * 1e6) };
  if (value >= 1e9) {
    const ms = value * 1e3;
    return { ms: Math.floor(ms), ns: Math.round((ms % 1) * 1e6) % 1e6 };
  }
  return undefined;
}

function timeOf(fields: Readonly<Record<string, unknown>>): LogTime | undefined {
  for (const name of timeFields) {
    const value = fields[name];
    if (typeof value === "string") {
      const parsed = parseIsoTime(value) ?? (/^\d+(\.\d+)?$/.test(value) ? parseEpoch(Number(value)) : undefined);
      if (parsed !== undefined) return parsed;
    } else if (typeof value === "number") {
      const parsed = parseEpoch(value);
      if (parsed !== undefined) return parsed;
    }
  }
  return undefined;
}

function levelOf(fields: Readonly<Record<string, unknown>>): string | undefined {
  const value = fields.level ?? fields.levelname ?? fields.severity;
  if (typeof value === "number") return pinoLevels[value] ?? String(value);
  if (typeof value !== "string" || value === "") return undefined;
  const upper = value.toUpperCase();
  return upper === "WARNING" ? "WARN" : upper;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** A log4j-style line: `[2026-11-25T09:14:23,412] INFO  message (Logger)`. */
const bracketed = /^\[(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)\]\s+([A-Z]+)\s+(.*)$/;

export function parseLogLine(raw: string): LogLine {
  const trimmed = raw.trim();
  if (trimmed.startsWith("{") && trimmed.endsWith("}")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      parsed = undefined;
    }
    if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) {
      const fields = parsed as Record<string, unknown>;
      const time = timeOf(fields);
      const level = levelOf(fields);
      const service = text(fields.service);
      const message = text(fields.msg) ?? text(fields.message);
      const correlationId = text(fields.correlation_id) ?? text(fields.correlationId);
      return {
        raw,
        fields,
        ...(time === undefined ? {} : { time }),
        ...(level === undefined ? {} : { level }),
        ...(service === undefined ? {} : { service }),
        ...(message === undefined ? {} : { message }),
        ...(correlationId === undefined ? {} : { correlationId }),
      };
    }
  }
  const m = bracketed.exec(raw);
  if (m !== null) {
    const time = parseIsoTime(m[1] ?? "");
    return { raw, ...(time === undefined ? {} : { time }), level: m[2] ?? "", message: m[3] ?? "" };
  }
  return { raw };
}

const idCharacter = /[A-Za-z0-9_-]/;

/** True when `id` stands in `text` as a whole word, not inside a longer id (`c9` is not in `c91d`). */
export function containsId(text: string, id: string): boolean {
  if (id === "") return false;
  for (let at = text.indexOf(id); at >= 0; at = text.indexOf(id, at + 1)) {
    const before = text[at - 1];
    const after = text[at + id.length];
    if ((before === undefined || !idCharacter.test(before)) && (after === undefined || !idCharacter.test(after))) return true;
  }
  return false;
}

/** True when the line belongs to the chain `id`: its correlation field, or for a non-JSON line its text. */
export function belongsTo(line: LogLine, id: string): boolean {
  if (line.fields !== undefined) return line.correlationId === id;
  return containsId(line.raw, id);
}

export function compareTimes(a: LogTime, b: LogTime): number {
  return a.ms - b.ms || a.ns - b.ns;
}
