import { describe, expect, it } from "vitest";
import { compareTimes } from "../../src/events/event-log.js";
import { formatCents, toCents } from "../../src/demo/money.js";

describe("compareTimes", () => {
  it("orders RFC 3339 times with 3, 6 and 9 fractional digits to the nanosecond", () => {
    const times = ["2026-11-25T09:48:48.15Z", "2026-11-25T09:48:48.1Z", "2026-11-25T09:48:48.152916826Z", "2026-11-25T09:48:48.120092Z", "2026-11-25T09:48:48Z"];
    expect([...times].sort(compareTimes)).toEqual([
      "2026-11-25T09:48:48Z",
      "2026-11-25T09:48:48.1Z",
      "2026-11-25T09:48:48.120092Z",
      "2026-11-25T09:48:48.15Z",
      "2026-11-25T09:48:48.152916826Z",
    ]);
  });
});

describe("money", () => {
  it("sums the demo order exactly in cents", () => {
    expect(2 * toCents(29.99) + toCents(49.99)).toBe(10997);
    expect(formatCents(10997)).toBe("109.97");
  });

  it("refuses a float error instead of rounding it away", () => {
    expect(() => toCents(0.1 + 0.2)).toThrow(/two decimals/);
  });
});
