// How merged and followed log lines print: a time, the component in its service's colour, the
// level, the message and the remaining fields as key=value; `--json` prints one object per line.
import pc from "picocolors";
import type { LogLine, LogTime } from "./log-line.js";

type Paint = (text: string) => string;

const serviceColours: Readonly<Record<string, Paint>> = {
  kafka: pc.gray,
  "user-service": pc.red,
  "order-service": pc.cyan,
  "notification-service": pc.magenta,
  "smtp-sink": pc.yellow,
  "analytics-service": pc.green,
  prometheus: pc.blue,
  zipkin: pc.blue,
};
const palette: readonly Paint[] = [pc.cyan, pc.magenta, pc.yellow, pc.green, pc.blue, pc.red];

/** `order-service-2` is an instance of `order-service`, `kafka-3` a broker of `kafka`: one colour each. */
export function serviceOf(component: string): string {
  return component.replace(/-\d+$/, "");
}

export function colourOf(component: string): Paint {
  const service = serviceOf(component);
  const known = serviceColours[service];
  if (known !== undefined) return known;
  let hash = 0;
  for (const ch of service) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return palette[hash % palette.length] ?? pc.white;
}

/** Fields already shown in the line's head, and bookkeeping that only adds noise when reading a chain. */
const shown = new Set(["time", "timestamp", "ts", "@timestamp", "level", "levelname", "severity", "msg", "message", "service", "correlation_id", "correlationId", "@version", "level_value", "logger_name", "logger", "thread_name", "pid", "hostname"]);

function value(v: unknown): string {
  if (typeof v === "string") return /[\s"=]/.test(v) || v === "" ? JSON.stringify(v) : v;
  return JSON.stringify(v) ?? String(v);
}

export function clock(time: LogTime | undefined): string {
  return time === undefined ? "--:--:--.---" : new Date(time.ms).toISOString().slice(11, 23);
}

function paintLevel(level: string): string {
  const padded = level.padEnd(5);
  if (level === "ERROR" || level === "FATAL") return pc.red(padded);
  if (level === "WARN") return pc.yellow(padded);
  if (level === "DEBUG" || level === "TRACE") return pc.dim(padded);
  return padded;
}

/** One line for a terminal: `09:00:41.886 order-service        INFO  order created  order_id=... ` */
export function renderLine(component: string, line: LogLine, width: number, time = line.time): string {
  const head = `${pc.dim(clock(time))} ${colourOf(component)(component.padEnd(width))}`;
  if (line.fields === undefined) return `${head} ${line.raw}`;
  const rest = Object.entries(line.fields)
    .filter(([k]) => !shown.has(k))
    .map(([k, v]) => `${pc.dim(`${k}=`)}${value(v)}`)
    .join(" ");
  return `${head} ${paintLevel(line.level ?? "")} ${line.message ?? ""}${rest === "" ? "" : `  ${rest}`}`;
}

/** One JSON object for scripts: the component, the time read from the line, and the line itself. */
export function renderJson(component: string, line: LogLine, time = line.time): string {
  return JSON.stringify({
    component,
    time: time === undefined ? null : new Date(time.ms).toISOString(),
    ...(line.fields === undefined ? { text: line.raw } : { fields: line.fields }),
  });
}
