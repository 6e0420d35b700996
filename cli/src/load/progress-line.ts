// The live progress line of a load run, on stderr so that --json keeps stdout clean: rewritten
// in place on a terminal, a plain line every 5 s otherwise (CI, a pipe).

export interface ProgressLine {
  update(line: string): void;
  /** Ends the rewritten line so that what follows starts on its own. */
  done(): void;
}

export function progressLine(stream: NodeJS.WriteStream = process.stderr, ci = false): ProgressLine {
  const live = stream.isTTY === true && !ci;
  let shown = false;
  let last = 0;
  return {
    update(line) {
      if (live) {
        const width = stream.columns ?? 120;
        stream.write(`\r\x1b[2K${line.length > width - 1 ? `${line.slice(0, width - 2)}…` : line}`);
        shown = true;
        return;
      }
      if (Date.now() - last < 5_000) return;
      last = Date.now();
      stream.write(`${line}\n`);
    },
    done() {
      if (live && shown) stream.write("\r\x1b[2K");
      shown = false;
    },
  };
}
