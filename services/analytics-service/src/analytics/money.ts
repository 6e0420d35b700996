// Exact money: amounts are summed as integer nano units (10^-9), never as floating point.
import { AnalyticsError } from "../errors.js";

const NANOS_PER_UNIT = 1_000_000_000n;

export interface MoneyLike {
  readonly currencyCode: string;
  readonly units: bigint;
  readonly nanos: number;
}

/** A Money as a whole number of nano units; rejects what google.type.Money forbids. */
export function toNanos(money: MoneyLike): bigint {
  const { units, nanos } = money;
  if (!Number.isInteger(nanos) || nanos <= -1_000_000_000 || nanos >= 1_000_000_000) {
    throw new AnalyticsError("MONEY_INVALID", `nanos out of range: ${nanos}`);
  }
  if ((units > 0n && nanos < 0) || (units < 0n && nanos > 0)) {
    throw new AnalyticsError("MONEY_INVALID", `units ${units} and nanos ${nanos} differ in sign`);
  }
  if (!/^[A-Z]{3}$/.test(money.currencyCode)) {
    throw new AnalyticsError("MONEY_INVALID", `currency code is not ISO 4217: "${money.currencyCode}"`);
  }
  return units * NANOS_PER_UNIT + BigInt(nanos);
}

/** `109970000000n` -> `"109.97"`: at least two fraction digits, trailing zeros beyond them dropped. */
export function formatNanos(total: bigint): string {
  const negative = total < 0n;
  const abs = negative ? -total : total;
  const whole = abs / NANOS_PER_UNIT;
  const fraction = (abs % NANOS_PER_UNIT).toString().padStart(9, "0").replace(/0+$/, "").padEnd(2, "0");
  return `${negative ? "-" : ""}${whole}.${fraction}`;
}

/**
 * The JSON number for an exact amount. Parsing the exact decimal text gives the double nearest
 * to it, which JSON renders back as the same digits (109.97, not 109.97000000000001).
 */
export function nanosToNumber(total: bigint): number {
  return Number(formatNanos(total));
}
