import { describe, expect, test } from "vitest";
import { parseLoadArgs } from "../../src/commands/load.js";
import { checkLoadOptions, ordersOfUser, parseSeconds } from "../../src/load/options.js";
import { UsageError } from "../../src/usage-error.js";

describe("load options", () => {
  test("defaults and units", () => {
    expect(checkLoadOptions({})).toMatchObject({ rate: 5, durationS: 20, ordersPerSignup: 0, drainS: 30, json: false, findMax: false, sloP99Ms: 1_000 });
    expect([parseSeconds("20"), parseSeconds("1.5s"), parseSeconds("500ms"), parseSeconds("2m"), parseSeconds("x")]).toEqual([20, 1.5, 0.5, 120, undefined]);
  });

  test.each([
    [["--rate", "0"], /--rate takes sign-ups per second above 0/],
    [["--rate", "-5"], /--rate takes sign-ups per second above 0/],
    [["--orders-per-signup", "-1"], /--orders-per-signup takes a number from 0 to 10, not -1/],
    [["--duration", "soon"], /--duration takes a time/],
    [["--slo-p99", "1s"], /--slo-p99 goes with --find-max/],
    [["--find-max", "--rate", "5"], /--find-max runs its own fixed schedule/],
    [["--bogus"], /Unknown option '--bogus'/],
  ])("%j is bad usage (exit 2) with one line that says what to do", (args, message) => {
    expect(() => parseLoadArgs(args)).toThrow(UsageError);
    expect(() => parseLoadArgs(args)).toThrow(message);
    try {
      parseLoadArgs(args);
    } catch (e: unknown) {
      expect((e as Error).message).not.toContain("\n");
    }
  });

  test("orders per sign-up spread over the users: 0.5 is every other user, 2 is two each", () => {
    const sum = (n: number, x: number): number => Array.from({ length: n }, (_, i) => ordersOfUser(i, x)).reduce((a, b) => a + b, 0);
    expect(Array.from({ length: 6 }, (_, i) => ordersOfUser(i, 0.5))).toEqual([0, 1, 0, 1, 0, 1]);
    expect(sum(100, 2)).toBe(200);
    expect(sum(100, 0.3)).toBe(30);
    expect(sum(10, 0)).toBe(0);
  });
});
