// How `./polyglot bench serialization` shows its figures: a table for the terminal, and a
// markdown section for docs/benchmarks.md.
import { formats, shortName, type Figures, type Language, type LanguageResult, type SerializationResult } from "./serialization-result.js";
import { fastest, protobufVerdict, type Op } from "./serialization-verdict.js";

export const languageTitles: Readonly<Record<Language, string>> = { java: "Java", go: "Go", python: "Python", typescript: "TypeScript" };

const formatTitles = { protobuf: "protobuf", json: "JSON", avro: "Avro" } as const;

const nsText = (value: number): string => Math.round(value).toLocaleString("en-US");

/** Rows grouped by message in the harness's order, formats in protobuf, JSON, Avro order. */
function byMessage(result: LanguageResult): Map<string, Figures[]> {
  const groups = new Map<string, Figures[]>();
  for (const f of result.figures) groups.set(f.message, [...(groups.get(f.message) ?? []), f]);
  for (const rows of groups.values()) rows.sort((a, b) => formats.indexOf(a.format) - formats.indexOf(b.format));
  return groups;
}

function isFastest(rows: readonly Figures[], f: Figures, op: Op): boolean {
  const best = fastest(rows, op);
  return best !== undefined && (op === "encode" ? best.encodeNs === f.encodeNs : best.decodeNs === f.decodeNs);
}

function pad(cells: readonly string[], widths: readonly number[], right: ReadonlySet<number>): string {
  return cells.map((c, i) => (right.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join("  ").trimEnd();
}

const quickWarning = "QUICK RUN: a build check of the harnesses; these figures are not measurements.";

function machineLine(result: SerializationResult): string {
  const [l1, l5, l15] = result.machine.loadAverage.map((l) => l.toFixed(1));
  return `${result.machine.cores} cores, ${result.machine.memoryGiB} GiB, load average ${l1}/${l5}/${l15} at the start`;
}

export function renderSerializationTable(result: SerializationResult): string {
  const lines: string[] = [];
  if (result.quick) lines.push(quickWarning, "");
  lines.push(`Serialization: ns per operation (mean), lower is better; * = fastest for the message in that language. ${machineLine(result)}.`);
  const header = ["message", "format", "library", "encode ns", "decode ns", "bytes"];
  const right = new Set([3, 4, 5]);
  for (const lang of result.languages) {
    lines.push("", `${languageTitles[lang.language]}: ${lang.runtime}, ${lang.harness} (${lang.settings}); ${Math.round(lang.seconds)} s`);
    const rows: string[][] = [];
    for (const [message, figures] of byMessage(lang)) {
      figures.forEach((f, i) => {
        rows.push([
          i === 0 ? shortName(message) : "",
          formatTitles[f.format],
          f.library,
          `${nsText(f.encodeNs)}${isFastest(figures, f, "encode") ? " *" : "  "}`,
          `${nsText(f.decodeNs)}${isFastest(figures, f, "decode") ? " *" : "  "}`,
          String(f.bytes),
        ]);
      });
    }
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
    lines.push(`  ${pad(header, widths, right)}`, ...rows.map((r) => `  ${pad(r, widths, right)}`));
    lines.push(`  Protocol Buffers fastest? ${protobufVerdict(lang).summary}`);
  }
  lines.push("", `${Math.round(result.seconds)} s in all.`);
  return lines.join("\n");
}

/** "437", or "679 (Java, Go) / 681 (Python: orjson 3.13.0)" when the languages' encodings differ in size. */
function sizeCell(result: SerializationResult, message: string, format: Figures["format"]): string {
  const bySize = new Map<number, string[]>();
  for (const lang of result.languages) {
    const rows = lang.figures.filter((f) => f.message === message && f.format === format);
    for (const f of rows) {
      const who = rows.length > 1 ? `${languageTitles[lang.language]}: ${f.library}` : languageTitles[lang.language];
      bySize.set(f.bytes, [...(bySize.get(f.bytes) ?? []), who]);
    }
  }
  if (bySize.size <= 1) return [...bySize.keys()].map(String).join("") || "-";
  return [...bySize.entries()].map(([size, who]) => `${size} (${who.join(", ")})`).join(" / ");
}

const cell = (text: string): string => text.replaceAll("|", "\\|");

export function renderSerializationMarkdown(result: SerializationResult): string {
  const md: string[] = ["## Serialization: protobuf vs JSON vs Avro", ""];
  if (result.quick) md.push(`> ${quickWarning}`, "");
  md.push(
    `Made by \`${result.command}\` on ${result.startedAt.slice(0, 10)} (${machineLine(result)}), in ${Math.round(result.seconds)} s.`,
    "Each language encodes and decodes the `full` test vector (`schemas/testdata/`) of every message in",
    "`bench/serialization/messages.json`: with protobuf (the generated code its service uses), with its usual JSON",
    "library (the vector's protobuf JSON form, as the language's plain object, struct or record) and with its Avro",
    "library (the schemas in `bench/serialization/avro/`). Every encoder produces bytes and every decoder reads them,",
    "as a Kafka record value needs. Figures are ns per operation (mean); lower is better; **bold** is the fastest",
    "for that message in that language. These are short runs (settings under each language): compare formats",
    "within a language, and read differences under about 20% as noise, more when the load average above was high.",
    "Benchmarks record figures; they assert nothing.",
    "",
    "### Does the seed's \"Protocol Buffers: fastest\" hold?",
    "",
    "| language | verdict |",
    "| --- | --- |",
  );
  for (const lang of result.languages) md.push(`| ${languageTitles[lang.language]} | ${cell(protobufVerdict(lang).summary)} |`);
  md.push(
    "",
    "Known caveat: protobuf-es (TypeScript) is plain JavaScript, while `JSON.stringify`/`JSON.parse` are native code",
    "inside V8, so published benchmarks show JSON encoding faster than protobuf-es on small messages; the table",
    "above says whether that holds here.",
    "",
    "### Encoded sizes (bytes)",
    "",
    "| message | protobuf | Avro | JSON |",
    "| --- | ---: | ---: | ---: |",
  );
  const messages = [...new Set(result.languages.flatMap((l) => l.figures.map((f) => f.message)))];
  for (const message of messages) {
    md.push(`| ${shortName(message)} | ${cell(sizeCell(result, message, "protobuf"))} | ${cell(sizeCell(result, message, "avro"))} | ${cell(sizeCell(result, message, "json"))} |`);
  }
  for (const lang of result.languages) {
    md.push(
      "",
      `### ${languageTitles[lang.language]}`,
      "",
      `${lang.runtime}; ${lang.harness}: ${lang.settings}. Build and run took ${Math.round(lang.seconds)} s.`,
      "",
      "| message | format | library | encode ns/op | decode ns/op | bytes |",
      "| --- | --- | --- | ---: | ---: | ---: |",
    );
    for (const [message, figures] of byMessage(lang)) {
      for (const f of figures) {
        const encode = isFastest(figures, f, "encode") ? `**${nsText(f.encodeNs)}**` : nsText(f.encodeNs);
        const decode = isFastest(figures, f, "decode") ? `**${nsText(f.decodeNs)}**` : nsText(f.decodeNs);
        md.push(`| ${shortName(message)} | ${formatTitles[f.format]} | ${cell(f.library)} | ${encode} | ${decode} | ${f.bytes} |`);
      }
    }
  }
  return `${md.join("\n")}\n`;
}
