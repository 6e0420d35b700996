// Faults in the middle of a burst (issue 11), one test each: SIGTERM then SIGKILL of each service
// in turn, and the broker stopped for 20 seconds and started again. After recovery every chain is
// complete and nothing is duplicated: exactly one welcome order, one welcome e-mail, one count
// per event. The faults are the CLI's own (chaos kill, down NAME, up): see stack-control.ts.
//
// "In the middle": the burst is held at the fault's point until the fault is in place, so there
// are always calls in flight before it and calls sent after it (burst.ts, Fault).
import { setTimeout as delay } from "node:timers/promises";
import { describe, expect, test } from "vitest";
import { runningBrokers } from "../../../cli/src/chaos/signals.js";
import type { Fault } from "./burst.js";
import { burstSize } from "./sizes.js";
import { ctx, kill, start, stop } from "./stack-control.js";
import { burstAndVerify, expectVerdict } from "./verify.js";

const { users, orders, concurrency } = burstSize("fault");

/** SIGTERM at a third of the burst, start again; SIGKILL at two thirds, start again. */
function termThenKill(service: string): Fault[] {
  return [
    { at: Math.floor(users / 3), what: `SIGTERM ${service}`, inject: async () => [await kill(service, "SIGTERM")], recover: async () => void (await start([service])) },
    { at: Math.floor((2 * users) / 3), what: `SIGKILL ${service}`, inject: async () => [await kill(service, "SIGKILL")], recover: async () => void (await start([service])) },
  ];
}

describe("faults in the middle of a burst", () => {
  for (const service of ["user-service", "order-service", "notification-service", "analytics-service"]) {
    test(`${service}: SIGTERM then SIGKILL mid-burst, started again -> every chain complete, nothing twice`, async () => {
      const v = await burstAndVerify({ label: `fault-${service}`, users, orders, concurrency, faults: () => termThenKill(service), completeWithinMs: 300_000 });
      expect(v.stats.faults.map((f) => f.what)).toEqual([`SIGTERM ${service}`, `SIGKILL ${service}`]);
      expectVerdict(v);
    }, 900_000);
  }

  test("the broker stopped for 20 s mid-burst and started again -> every chain complete, nothing twice", async () => {
    const brokers = (await runningBrokers(ctx)).map((b) => b.name);
    const fault: Fault = {
      at: Math.floor(users / 2),
      what: `${brokers.join(", ")} stopped for 20 s`,
      inject: async () => void (await stop(brokers)),
      recover: async () => {
        // The length of the outage the issue asks for, not a wait for a condition.
        await delay(20_000);
        await start(brokers);
      },
    };
    const v = await burstAndVerify({ label: "fault-broker", users, orders, concurrency, faults: () => [fault], reopenLog: true, completeWithinMs: 300_000 });
    expect(v.stats.faults).toHaveLength(1);
    expectVerdict(v);
  }, 900_000);
});
