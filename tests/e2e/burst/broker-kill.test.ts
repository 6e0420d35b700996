// The 3-broker mode (issue 11): one broker killed (SIGKILL) in the middle of a burst. Topics have
// replication factor 3 and min ISR 2, so the two brokers left take over the partitions it led;
// every chain completes and nothing is duplicated. Runs on a throw-away whole stack with 3
// brokers (`needs: "stack3"`), so killing a broker never touches the user's stack.
import { describe, expect, test } from "vitest";
import { bootstrap } from "../../support/kafka.js";
import type { Fault } from "./burst.js";
import { burstSize } from "./sizes.js";
import { busiestBroker, kill } from "./stack-control.js";
import { burstAndVerify, expectVerdict } from "./verify.js";

describe("3 brokers, one killed mid-burst", () => {
  const { users, orders, concurrency } = burstSize("fault");

  test("the broker leading the most partitions SIGKILLed mid-burst -> every chain complete, nothing twice", async () => {
    expect(bootstrap(), "a stack with 3 brokers").toHaveLength(3);
    let victim = "";
    const fault: Fault = {
      at: Math.floor(users / 2),
      what: "SIGKILL of the broker leading the most partitions",
      inject: async () => {
        victim = await busiestBroker(bootstrap());
        return [await kill(victim, "SIGKILL")];
      },
    };
    const v = await burstAndVerify({ label: "broker-kill", users, orders, concurrency, faults: () => [fault], reopenLog: true, completeWithinMs: 300_000 });
    console.log(`killed ${victim}`);
    expect(v.stats.faults).toHaveLength(1);
    expectVerdict(v);
  }, 900_000);
});
