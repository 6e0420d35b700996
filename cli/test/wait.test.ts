import { describe, expect, it } from "vitest";
import { waitForValue, waitUntil } from "../src/wait.js";

describe("waitForValue", () => {
  it("returns the first value that has the property, not the first value read", async () => {
    const values = [undefined, 0, 3, 24];
    let i = 0;
    const got = await waitForValue("24", async () => values[i++], (v) => v === 24, { timeoutMs: 5_000, intervalMs: 10 });
    expect(got).toBe(24);
    expect(i).toBe(4);
  });

  it("counts a read that throws as not yet, and names it when time runs out", async () => {
    await expect(
      waitForValue("a server", async () => Promise.reject(new Error("ECONNREFUSED")), () => true, { timeoutMs: 100, intervalMs: 10 }),
    ).rejects.toThrow(/timed out after 0.1 s waiting for a server; last read: error: ECONNREFUSED/);
  });

  it("shows the last value read with `show`", async () => {
    await expect(waitForValue("7", async () => 6, (v) => v === 7, { timeoutMs: 50, intervalMs: 10, show: (v) => `${v} of 7` })).rejects.toThrow(/last read: 6 of 7/);
  });
});

describe("waitUntil", () => {
  it("names what it waited for on timeout", async () => {
    await expect(waitUntil("never", () => false, 50, 10)).rejects.toThrow("timed out after 0.05 s waiting for never");
  });
});
