// Which commands README.md shows, by one rule: every line of a fenced block opened with ```sh or
// ```bash (other blocks are output, pictures or layouts, not commands). A `#` after white space
// starts a comment; a line ending in `\` goes on on the next; empty and comment-only lines are
// skipped. A few words in capitals stand for a value the test fills in (ID: a correlation id).

export interface ReadmeCommand {
  /** 1-based line in README.md where the command starts. */
  readonly line: number;
  readonly command: string;
}

/** The text before a `#` that follows white space, outside quotes. */
function withoutComment(text: string): string {
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (c === "#" && (i === 0 || /\s/.test(text[i - 1] as string))) {
      return text.slice(0, i);
    }
  }
  return text;
}

export function readmeCommands(markdown: string): ReadmeCommand[] {
  const lines = markdown.split(/\r?\n/);
  const commands: ReadmeCommand[] = [];
  let inSh = false;
  let fence = "";
  let pending: ReadmeCommand | undefined;
  lines.forEach((raw, index) => {
    const trimmed = raw.trim();
    if (!inSh) {
      const open = /^(`{3,}|~{3,})\s*([\w-]*)/.exec(trimmed);
      if (open !== null && fence === "") {
        fence = open[1] as string;
        inSh = open[2] === "sh" || open[2] === "bash";
      } else if (fence !== "" && trimmed.startsWith(fence)) {
        fence = "";
      }
      return;
    }
    if (trimmed.startsWith(fence)) {
      inSh = false;
      fence = "";
      return;
    }
    const text = withoutComment(raw).trim();
    const continued = text.endsWith("\\");
    const part = continued ? text.slice(0, -1).trim() : text;
    if (pending !== undefined) pending = { line: pending.line, command: `${pending.command} ${part}`.trim() };
    else if (part !== "") pending = { line: index + 1, command: part };
    if (!continued && pending !== undefined) {
      commands.push(pending);
      pending = undefined;
    }
  });
  return commands;
}

/** Each whole word of `command` that is a key of `values` (`ID`), replaced by its value. */
export function fillPlaceholders(command: string, values: Readonly<Record<string, string>>): string {
  return command.replace(/(?<![\w$=-])[A-Z][A-Z0-9_]*(?![\w=-])/g, (word) => values[word] ?? word);
}

/**
 * A command that measures for as long as it is told (`./polyglot load`, `./polyglot bench`), as
 * the readme suite runs it on the test stack: briefly. load sends for 2 s and may drain for up to
 * 120 s (the test stack is shared with other suites' leftovers); bench makes its --brief smoke run
 * (seconds per step, its Markdown under .polyglot/reports/, never docs/benchmarks.md).
 * Undefined for the forms that cannot be shortened (`load --find-max` runs its fixed schedule).
 */
export function briefly(command: string): string | undefined {
  if (/^\.\/polyglot\s+load(\s|$)/.test(command)) {
    if (/\s--find-max\b/.test(command)) return undefined;
    const set = (text: string, option: string, value: string): string => (new RegExp(`\\s${option}[\\s=]\\S+`).test(text) ? text.replace(new RegExp(`(\\s${option})[\\s=]\\S+`), `$1 ${value}`) : `${text} ${option} ${value}`);
    return set(set(command, "--duration", "2s"), "--drain", "120s");
  }
  if (/^\.\/polyglot\s+bench\s*$/.test(command)) return `${command.trim()} --brief`;
  return undefined;
}
