// `./polyglot logs --correlation ID`: every component's lines of one chain, in time order.
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { belongsTo, compareTimes, parseLogLine, type LogLine, type LogTime } from "./log-line.js";

export interface LogSource {
  /** The component, from the log file's name (`order-service-2`). */
  readonly component: string;
  /** The file being written. */
  readonly file: string;
  /** Its rotated files (log-writer.ts), oldest first: they come before `file`. */
  readonly rotated?: readonly string[];
}

export interface MergedLine {
  readonly component: string;
  readonly line: LogLine;
  /** The line's own time, or the time of the line before it in its file (a stack trace, a log4j continuation). */
  readonly time?: LogTime;
  /** Where it came from, which breaks ties: files in the order given, lines in file order. */
  readonly source: number;
  readonly lineNumber: number;
}

/**
 * Reads one file's lines in order, giving each its own or inherited time; `push` answers the line
 * when `keep` accepts it. `mayKeep`, when given, is a cheap test on the raw text that `keep`
 * could accept the line: the others are not parsed at all, which is what makes reading a
 * component's whole log for one chain fast. Only a line that starts like JSON or a bracketed
 * time can carry a time, so the newest such line is kept aside and parsed only when a kept
 * line has to inherit its time.
 */
export function createPicker(component: string, source: number, keep: (line: LogLine) => boolean, mayKeep?: (raw: string) => boolean): { push(raw: string): MergedLine | undefined } {
  let last: LogTime | undefined;
  let unparsed: string | undefined;
  let lineNumber = 0;
  return {
    push(raw) {
      lineNumber += 1;
      const trimmed = raw.trimStart();
      if (trimmed === "") return undefined;
      if (mayKeep !== undefined && !mayKeep(raw)) {
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) unparsed = raw;
        return undefined;
      }
      const line = parseLogLine(raw);
      if (line.time === undefined && unparsed !== undefined) last = parseLogLine(unparsed).time ?? last;
      unparsed = undefined;
      last = line.time ?? last;
      return keep(line) ? { component, line, ...(last === undefined ? {} : { time: last }), source, lineNumber } : undefined;
    },
  };
}

/** The lines of `lines` that `keep` accepts, each with its own or inherited time. */
export function pickLines(component: string, source: number, lines: Iterable<string>, keep: (line: LogLine) => boolean): MergedLine[] {
  const picker = createPicker(component, source, keep);
  const picked: MergedLine[] = [];
  for (const raw of lines) {
    const line = picker.push(raw);
    if (line !== undefined) picked.push(line);
  }
  return picked;
}

/** Time order; lines without any time come first; ties keep file and line order (sort is stable). */
export function mergeLines(groups: readonly (readonly MergedLine[])[]): MergedLine[] {
  return groups.flat().sort((a, b) => {
    if (a.time === undefined || b.time === undefined) return (a.time === undefined ? 0 : 1) - (b.time === undefined ? 0 : 1) || a.source - b.source || a.lineNumber - b.lineNumber;
    return compareTimes(a.time, b.time) || a.source - b.source || a.lineNumber - b.lineNumber;
  });
}

async function* fileLines(file: string): AsyncGenerator<string> {
  // Streamed: a broker's log runs to many megabytes.
  const reader = createInterface({ input: createReadStream(file, { encoding: "utf8" }), crlfDelay: Infinity });
  yield* reader;
}

/** Reads every source, rotated files first, and returns the lines of chain `id`, merged in time order. */
export async function mergeChain(sources: readonly LogSource[], id: string): Promise<MergedLine[]> {
  const groups = await Promise.all(
    sources.map(async (s, i) => {
      // A line of the chain names its id, in its correlation field or its text.
      const picker = createPicker(s.component, i, (line) => belongsTo(line, id), (raw) => raw.includes(id));
      const picked: MergedLine[] = [];
      for (const file of [...(s.rotated ?? []), s.file]) {
        for await (const raw of fileLines(file)) {
          const line = picker.push(raw);
          if (line !== undefined) picked.push(line);
        }
      }
      return picked;
    }),
  );
  return mergeLines(groups);
}
