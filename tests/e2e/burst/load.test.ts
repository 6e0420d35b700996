// Many users at once (issue 11): at least 500 sign-ups and 500 orders through the real HTTP
// APIs, concurrently; every chain completes, nothing is duplicated, and the analytics numbers
// (differences from before the burst) equal what was sent, revenue exact.
import { describe, test } from "vitest";
import { burstSize } from "./sizes.js";
import { burstAndVerify, expectVerdict } from "./verify.js";

describe("many users at once", () => {
  const { users, orders, concurrency } = burstSize("load");

  test(`${users} sign-ups and ${orders} orders, ${concurrency} in flight -> every chain complete, nothing twice, analytics exact`, async () => {
    const v = await burstAndVerify({ label: "load", users, orders, concurrency, completeWithinMs: 300_000 });
    expectVerdict(v);
  }, 900_000);
});
