// `./polyglot logs --correlation ID`: every component's lines of one chain, in time order.
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { belongsTo, compareTimes, parseLogLine, type LogLine, type LogTime } from "./log-line.js";

export interface LogSource {
  /** The component, from the log file's name (`order-service-2`). */
  readonly component: string;
  readonly file: string;
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

/** Reads one file's lines in order, giving each its own or inherited time; `push` answers the line when `keep` accepts it. */
export function createPicker(component: string, source: number, keep: (line: LogLine) => boolean): { push(raw: string): MergedLine | undefined } {
  let last: LogTime | undefined;
  let lineNumber = 0;
  return {
    push(raw) {
      lineNumber += 1;
      if (raw.trim() === "") return undefined;
      const line = parseLogLine(raw);
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

/** Reads every source and returns the lines of chain `id`, merged in time order. */
export async function mergeChain(sources: readonly LogSource[], id: string): Promise<MergedLine[]> {
  const groups = await Promise.all(
    sources.map(async (s, i) => {
      const picker = createPicker(s.component, i, (line) => belongsTo(line, id));
      const picked: MergedLine[] = [];
      for await (const raw of fileLines(s.file)) {
        const line = picker.push(raw);
        if (line !== undefined) picked.push(line);
      }
      return picked;
    }),
  );
  return mergeLines(groups);
}
