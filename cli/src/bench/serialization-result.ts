// The figures of `./polyglot bench serialization`, and the reading of the results file that
// each language's harness writes (the shape is in bench/serialization/README.md).

export const languages = ["java", "go", "python", "typescript"] as const;
export type Language = (typeof languages)[number];

export const formats = ["protobuf", "json", "avro"] as const;
export type Format = (typeof formats)[number];

/** One message in one format with one library, in one language. */
export interface Figures {
  /** Full protobuf name, e.g. polyglot.events.v1.UserSignupEvent. */
  readonly message: string;
  readonly format: Format;
  /** The library and how it was used, e.g. "orjson 3.13.0" or "Jackson 3.1.4 (records)". */
  readonly library: string;
  readonly encodeNs: number;
  readonly decodeNs: number;
  readonly bytes: number;
}

export interface LanguageResult {
  readonly language: Language;
  /** e.g. "OpenJDK 64-Bit Server VM 17.0.15", "go1.26.8". */
  readonly runtime: string;
  /** e.g. "JMH 1.37". */
  readonly harness: string;
  /** The measurement settings, as the harness states them. */
  readonly settings: string;
  readonly figures: readonly Figures[];
  /** Wall time of this language's build and run. */
  readonly seconds: number;
}

export interface Machine {
  readonly cores: number;
  readonly memoryGiB: number;
  /** 1, 5 and 15 minute load averages when the run started: other work on the machine skews the figures. */
  readonly loadAverage: readonly [number, number, number];
}

export interface SerializationResult {
  /** ISO time the run started. */
  readonly startedAt: string;
  readonly seconds: number;
  /** The command that made the figures. */
  readonly command: string;
  /** A --quick run only proves that the harnesses build and run: its figures mean nothing. */
  readonly quick: boolean;
  readonly machine: Machine;
  readonly languages: readonly LanguageResult[];
}

/** The last segment of a full message name: polyglot.events.v1.UserSignupEvent -> UserSignupEvent. */
export const shortName = (message: string): string => message.slice(message.lastIndexOf(".") + 1);

function fail(source: string, what: string): never {
  throw new Error(`${source}: ${what}`);
}

function text(source: string, value: unknown, field: string): string {
  if (typeof value !== "string" || value === "") fail(source, `"${field}" must be a non-empty string, got ${JSON.stringify(value)}`);
  return value;
}

function number(source: string, value: unknown, field: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) fail(source, `"${field}" must be a number >= 0, got ${JSON.stringify(value)}`);
  return value;
}

/**
 * Reads what a harness wrote (`source` names the file in errors): one object with language,
 * runtime, harness, settings and results, each result with message, format, library, bytes,
 * encode_ns and decode_ns.
 */
export function parseHarnessResults(raw: unknown, expected: Language, source: string, seconds: number): LanguageResult {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) fail(source, "expected one JSON object");
  const doc = raw as Record<string, unknown>;
  if (doc.language !== expected) fail(source, `"language" must be "${expected}", got ${JSON.stringify(doc.language)}`);
  if (!Array.isArray(doc.results) || doc.results.length === 0) fail(source, `"results" must be a non-empty array`);
  const seen = new Set<string>();
  const figures = doc.results.map((item: unknown, i: number): Figures => {
    const at = `results[${i}]`;
    if (typeof item !== "object" || item === null) fail(source, `${at} must be an object`);
    const r = item as Record<string, unknown>;
    const format = r.format;
    if (typeof format !== "string" || !(formats as readonly string[]).includes(format)) {
      fail(source, `${at}.format must be one of ${formats.join(", ")}, got ${JSON.stringify(format)}`);
    }
    const row: Figures = {
      message: text(source, r.message, `${at}.message`),
      format: format as Format,
      library: text(source, r.library, `${at}.library`),
      encodeNs: number(source, r.encode_ns, `${at}.encode_ns`),
      decodeNs: number(source, r.decode_ns, `${at}.decode_ns`),
      bytes: number(source, r.bytes, `${at}.bytes`),
    };
    const key = `${row.message} ${row.library}`;
    if (seen.has(key)) fail(source, `${at} repeats ${key}`);
    seen.add(key);
    return row;
  });
  return {
    language: expected,
    runtime: text(source, doc.runtime, "runtime"),
    harness: text(source, doc.harness, "harness"),
    settings: text(source, doc.settings, "settings"),
    figures,
    seconds,
  };
}
