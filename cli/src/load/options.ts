// The options of `./polyglot load`, checked once: a bad value is a UsageError (exit 2) whose one
// line says what to type instead.
import { UsageError } from "../usage-error.js";

export interface LoadOptions {
  /** Sign-ups per second. */
  readonly rate: number;
  /** Seconds of sending. */
  readonly durationS: number;
  /** Orders per sign-up (0.5: every other user orders once), posted once the user's welcome order was seen. */
  readonly ordersPerSignup: number;
  /** Seconds to wait after the last send for the chains in flight. */
  readonly drainS: number;
  readonly json: boolean;
  /** Where the HTML report goes (default .polyglot/reports/<time>/). */
  readonly reportDir?: string;
  readonly findMax: boolean;
  /** The chain p99 a find-max step must stay under, in ms. */
  readonly sloP99Ms: number;
}

/** `20`, `20s`, `1.5s`, `500ms`, `2m` -> seconds; undefined when it is none of those. */
export function parseSeconds(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (match === null) return undefined;
  const n = Number(match[1]);
  return match[2] === "ms" ? n / 1000 : match[2] === "m" ? n * 60 : n;
}

export interface RawLoadOptions {
  readonly rate?: string | undefined;
  readonly duration?: string | undefined;
  readonly "orders-per-signup"?: string | undefined;
  readonly drain?: string | undefined;
  readonly json?: boolean | undefined;
  readonly report?: string | undefined;
  readonly "find-max"?: boolean | undefined;
  readonly "slo-p99"?: string | undefined;
}

/** The limits keep one run within what a laptop and this generator can do, and a typo from running for a day. */
export function checkLoadOptions(raw: RawLoadOptions): LoadOptions {
  const findMax = raw["find-max"] === true;
  const rate = Number(raw.rate ?? (findMax ? "1" : "5"));
  if (!Number.isFinite(rate) || rate <= 0 || rate > 1000) throw new UsageError(`--rate takes sign-ups per second above 0 (up to 1000), not ${raw.rate}; e.g. ./polyglot load --rate 20 --duration 20`);
  const durationS = parseSeconds(raw.duration ?? "20");
  if (durationS === undefined || durationS <= 0 || durationS > 3600) throw new UsageError(`--duration takes a time above 0 up to 1h (20, 20s, 2m), not ${raw.duration}`);
  const ordersPerSignup = Number(raw["orders-per-signup"] ?? "0");
  if (!Number.isFinite(ordersPerSignup) || ordersPerSignup < 0 || ordersPerSignup > 10) throw new UsageError(`--orders-per-signup takes a number from 0 to 10, not ${raw["orders-per-signup"]}`);
  const drainS = parseSeconds(raw.drain ?? "30");
  if (drainS === undefined || drainS > 3600) throw new UsageError(`--drain takes a time from 0 up to 1h (30, 30s, 2m), not ${raw.drain}`);
  const slo = parseSeconds(raw["slo-p99"] ?? "1s");
  if (slo === undefined || slo <= 0) throw new UsageError(`--slo-p99 takes a time above 0 (1s, 500ms), not ${raw["slo-p99"]}`);
  if (raw["slo-p99"] !== undefined && !findMax) throw new UsageError("--slo-p99 goes with --find-max: ./polyglot load --find-max --slo-p99 1s");
  return {
    rate,
    durationS,
    ordersPerSignup,
    drainS,
    json: raw.json === true,
    ...(raw.report === undefined ? {} : { reportDir: raw.report }),
    findMax,
    sloP99Ms: slo * 1000,
  };
}

/** How many orders user `i` posts so that `n` users post about n * perSignup in all (0.5: users 1, 3, 5, ... one each). */
export function ordersOfUser(i: number, perSignup: number): number {
  return Math.floor((i + 1) * perSignup + 1e-9) - Math.floor(i * perSignup + 1e-9);
}
