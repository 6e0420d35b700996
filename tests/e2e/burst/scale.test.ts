// Scale out (issue 11): `./polyglot up --scale order-service=2,notification-service=2` runs two
// instances of a service in one consumer group; a burst with one instance killed mid-way still
// ends with every chain complete and nothing duplicated.
//
// Only components that say `scalable: true` can run twice (cli/src/stack/instances.ts); the test
// scales those of the two the issue names and prints which ones it could not. The orders go
// round-robin to the order-service instances (a failed call moves on to the next one), and
// instance 2 of each scaled service is killed with SIGKILL half-way through the burst: its
// consumer group gives its partitions to instance 1 once the session times out.
//
// order-service's instances share one SQLite database (SHARED_DATA_DIR), so the saga of an order
// runs on whichever instance owns its OrderCreatedEvent's partition, not only on the one that took it.
//
// Before the burst every instance's URL must answer /health: a wrong URL (once port 0, on CI's
// default ports) then fails the test in seconds, not after the burst's 240 s retry budget.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Killed } from "../../../cli/src/chaos/signals.js";
import type { Fault } from "./burst.js";
import { burstSize } from "./sizes.js";
import { expectAnswering, instanceName, instanceUrl, kill, scalableServices, scaleTo, stop } from "./stack-control.js";
import { burstAndVerify, expectVerdict } from "./verify.js";

const wanted = ["order-service", "notification-service"];

describe("scale out", () => {
  const { users, orders, concurrency } = burstSize("scale");
  let scaled: string[] = [];

  beforeAll(async () => {
    const scalable = await scalableServices();
    scaled = wanted.filter((s) => scalable.includes(s));
    const left = wanted.filter((s) => !scaled.includes(s));
    console.log(`scaling ${scaled.map((s) => `${s}=2`).join(",")}${left.length > 0 ? `; not scalable on this branch (scalable: true missing), left at 1: ${left.join(", ")}` : ""}`);
    await scaleTo(Object.fromEntries(scaled.map((s) => [s, 2])));
  }, 300_000);

  afterAll(async () => {
    // Back to one instance each, so the stack is as the next suite expects it.
    if (scaled.length === 0) return;
    await stop(scaled.map((s) => instanceName(s, 2))).catch((error: unknown) => console.log(`stopping the second instances: ${String(error)}`));
    await scaleTo(Object.fromEntries(scaled.map((s) => [s, 1])));
  }, 120_000);

  test("two instances in one group, one killed mid-burst -> every chain complete, nothing twice", async () => {
    expect(scaled, "order-service must be scalable").toContain("order-service");
    const orderUrls = [await instanceUrl("order-service", 1), await instanceUrl("order-service", 2)];
    for (const service of scaled) {
      const urls = service === "order-service" ? orderUrls : [await instanceUrl(service, 1), await instanceUrl(service, 2)];
      console.log(`${service} instances: ${urls.join(", ")}`);
      await expectAnswering(`${service} instances`, urls);
    }
    const victims = scaled.map((s) => instanceName(s, 2));
    const fault: Fault = {
      at: Math.floor(users / 2),
      what: `SIGKILL ${victims.join(", ")}`,
      inject: async () => {
        const killed: Killed[] = [];
        for (const v of victims) killed.push(await kill(v, "SIGKILL"));
        return killed;
      },
    };
    // The killed notification-service-2's unpublished events are published by instance 1 once
    // instance 2's liveness row has expired (LIVENESS_WINDOW_SECONDS, 10 s after its last renewal),
    // and the e-mail it had claimed is sent once instance 1 gets its partitions, after the group's
    // session timeout (librdkafka's default, 45 s), the liveness window long gone by then. Before
    // liveness rows both waited out the claim's whole lease (CLAIM_LEASE_SECONDS, 120 s): the bound
    // was 180 s. The kill lands mid-burst; every chain was complete and the pipeline drained 52 s
    // after the burst ended (66 s after it began) on the shared 2-core machine: 90 s leaves room
    // for the drain on a loaded machine.
    const v = await burstAndVerify({ label: "scale", users, orders, concurrency, orderUrls, faults: () => [fault], completeWithinMs: 90_000 });
    expect(v.stats.faults).toHaveLength(1);
    expectVerdict(v);
  }, 900_000);
});
