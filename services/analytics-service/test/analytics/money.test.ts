import { describe, expect, it } from "vitest";
import { formatNanos, nanosToNumber, toNanos } from "../../src/analytics/money.js";

const usd = (units: bigint, nanos: number) => ({ currencyCode: "USD", units, nanos });

describe("money", () => {
  it("sums 2 x 29.99 + 49.99 to exactly 109.97", () => {
    const price1 = toNanos(usd(29n, 990_000_000));
    const price2 = toNanos(usd(49n, 990_000_000));
    const total = 2n * price1 + price2;
    expect(formatNanos(total)).toBe("109.97");
    expect(JSON.stringify({ totalRevenue: nanosToNumber(total) })).toBe('{"totalRevenue":109.97}');
  });

  it("sums 0.10 + 0.20 to exactly 0.30, where doubles give 0.30000000000000004", () => {
    const total = toNanos(usd(0n, 100_000_000)) + toNanos(usd(0n, 200_000_000));
    expect(formatNanos(total)).toBe("0.30");
    expect(nanosToNumber(total)).toBe(0.3);
    expect(0.1 + 0.2).not.toBe(0.3);
  });

  it("formats with at least two fraction digits and keeps sub-cent digits", () => {
    expect(formatNanos(0n)).toBe("0.00");
    expect(formatNanos(5_000_000_000n)).toBe("5.00");
    expect(formatNanos(100_000_000n)).toBe("0.10");
    expect(formatNanos(1_000_000n)).toBe("0.001");
    expect(formatNanos(-1_500_000_000n)).toBe("-1.50");
  });

  it("rejects nanos out of range, mixed signs and a bad currency", () => {
    expect(() => toNanos(usd(0n, 1_000_000_000))).toThrow(/nanos out of range/);
    expect(() => toNanos(usd(1n, -5))).toThrow(/differ in sign/);
    expect(() => toNanos({ currencyCode: "usd", units: 1n, nanos: 0 })).toThrow(/ISO 4217/);
    expect(toNanos(usd(-1n, -500_000_000))).toBe(-1_500_000_000n);
  });
});
