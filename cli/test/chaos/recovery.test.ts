// The rules `chaos` judges recovery by: lag drained (a group without members is stranded, not
// waited for) and the chains around the fault, judged by the shared chain definitions.
import { describe, expect, test } from "vitest";
import { chainCounts, drainState, incompleteLines, judgeChains, verdict } from "../../src/chaos/recovery.js";
import { orderChain, orderChainOf, signupChain, signupChainOf } from "../../src/events/chain-expectations.js";
import type { EventRecord } from "../../src/events/event-log.js";
import { chainRecords } from "./chain-fixture.js";

const lag = (group: string, members: number, n: bigint) => ({ group, state: members > 0 ? "Stable" : "Empty", members, lag: n });

describe("drainState", () => {
  test("drained when every service group has caught up", () => {
    expect(drainState([lag("order-service", 1, 0n), lag("notification-service", 2, 0n), lag("analytics-service", 1, 0n)])).toEqual({ drained: true, waiting: [], stranded: [] });
  });

  test("a group still lagging with members is waited for; a missing group too", () => {
    const s = drainState([lag("order-service", 1, 4n), lag("analytics-service", 1, 0n)]);
    expect(s.drained).toBe(false);
    expect(s.waiting).toEqual(["order-service", "notification-service"]);
  });

  test("a group with lag but no member is stranded, not waited for", () => {
    const s = drainState([lag("order-service", 0, 3n), lag("notification-service", 1, 0n), lag("analytics-service", 1, 0n)]);
    expect(s.drained).toBe(true);
    expect(s.stranded.map((g) => g.group)).toEqual(["order-service"]);
  });
});

describe("judgeChains", () => {
  const t0 = "2026-11-25T10:00:00.000Z";
  const t1 = "2026-11-25T10:01:00.5Z";

  test("a whole sign-up chain and a whole order chain are complete; the welcome order is no order chain's root", () => {
    const records = [...chainRecords(signupChain, "s-1", t1), ...chainRecords(orderChain, "o-1", t1)];
    const chains = judgeChains(records, t0);
    expect(chains.map((c) => `${c.kind} ${c.correlationId} ${c.outcome.missing.length}`)).toEqual(["sign-up s-1 0", "order o-1 0"]);
    expect(verdict(chains, new Set())).toMatchObject({ complete: 2, incomplete: [], faulty: [], blocked: [] });
    expect(chainCounts(chains)).toBe("1 sign-up chain (1 complete), 1 order chain (1 complete)");
  });

  test("a user with a phone number gets an SMS beside each shipping e-mail: expected, and missed when absent", () => {
    const phone = { key: "user-phone", values: { "sign-up": { phoneNumber: "+4915112345678" } } };
    const records = [
      ...chainRecords(signupChainOf({ phone: true }), "s-phone", t1, [], phone),
      ...chainRecords(orderChainOf({ phone: true }), "o-phone", t1, ["order shipping SMS"], phone),
      ...chainRecords(signupChain, "s-plain", t1),
    ];
    const chains = judgeChains(records, t0);
    expect(chains.map((c) => `${c.correlationId} missing [${c.outcome.missing.join()}] problems ${c.outcome.problems.length}`)).toEqual([
      "s-phone missing [] problems 0",
      "o-phone missing [order shipping SMS] problems 0",
      "s-plain missing [] problems 0",
    ]);
    expect(chains.find((c) => c.correlationId === "o-phone")?.waitsFor).toEqual(["notification-service"]);
  });

  test("a declined order is complete once cancelled and its cancellation e-mail sent; a shipment would be unexpected", () => {
    const declined = { values: { payment: { status: "PAYMENT_STATUS_DECLINED" } } };
    const records = [...chainRecords(orderChainOf({ declined: true }), "o-declined", t1, [], declined), ...chainRecords(orderChainOf({ declined: true }), "o-cut", t1, ["order cancellation e-mail"], declined)];
    const chains = judgeChains(records, t0);
    expect(chains.map((c) => `${c.correlationId} missing [${c.outcome.missing.join()}] problems ${c.outcome.problems.length}`)).toEqual([
      "o-declined missing [] problems 0",
      "o-cut missing [order cancellation e-mail] problems 0",
    ]);
    const shippedAnyway = chainRecords(orderChain, "o-odd", t1, [], declined);
    expect(judgeChains(shippedAnyway, t0)[0]?.outcome.problems.join("\n")).toMatch(/unexpected event OrderShippedEvent/);
  });

  test("a record read twice (at least once, to the reader too) is one chain, still complete", () => {
    const records = chainRecords(signupChain, "s-twice", t1);
    const chains = judgeChains([...records, ...records], t0);
    expect(chains.map((c) => `${c.correlationId} ${c.outcome.missing.length} ${c.outcome.problems.length}`)).toEqual(["s-twice 0 0"]);
  });

  test("only chains whose root is from `since` on count (to the nanosecond)", () => {
    const records = [...chainRecords(signupChain, "early", "2026-11-25T10:00:59.999999999Z"), ...chainRecords(signupChain, "late", "2026-11-25T10:01:00.5Z")];
    expect(judgeChains(records, "2026-11-25T10:01:00.000000001Z").map((c) => c.correlationId)).toEqual(["late"]);
  });

  test("a chain missing its welcome order waits for order-service alone: the e-mails after it are not its next steps", () => {
    const chains = judgeChains(chainRecords(signupChain, "s-2", t1, ["welcome order"]), t0);
    expect(chains[0]?.waitsFor).toEqual(["order-service"]);
    expect(chains[0]?.outcome.missing).toContain("welcome order confirmation e-mail");
  });

  test("with the writer of the next step down, the chain is blocked and named so", () => {
    const chains = judgeChains([...chainRecords(signupChain, "s-3", t1, ["welcome e-mail", "welcome order confirmation e-mail", "welcome order shipping e-mail"]), ...chainRecords(signupChain, "s-4", t1)], t0);
    const down = new Set(["notification-service"]);
    const v = verdict(chains, down);
    expect(v.complete).toBe(1);
    expect(v.blocked.map((c) => c.correlationId)).toEqual(["s-3"]);
    expect(incompleteLines(v.incomplete, down)).toEqual([
      `sign-up chain s-3 (root ${t1}): missing welcome e-mail, welcome order confirmation e-mail, welcome order shipping e-mail; waits for notification-service, which is down`,
    ]);
    // Up again, the same chain is only waited for.
    expect(verdict(chains, new Set()).blocked).toEqual([]);
    expect(chainCounts(chains)).toBe("2 sign-up chains (1 complete, 1 incomplete), 0 order chains (0 complete)");
  });

  test("a second welcome e-mail (another event id for one step) makes the chain faulty", () => {
    const records = chainRecords(signupChain, "s-5", t1);
    const mail = records.find((r) => r.value?.templateId === "welcome") as EventRecord;
    records.push({ ...mail, offset: mail.offset + 1000n, headers: { ...mail.headers, ce_id: "s-5-second-mail" } });
    const v = verdict(judgeChains(records, t0), new Set());
    expect(v.complete).toBe(1);
    expect(v.faulty[0]?.outcome.problems[0]).toMatch(/2 distinct events for "welcome e-mail"/);
  });

  test("no chain in the window", () => {
    expect(chainCounts(judgeChains(chainRecords(signupChain, "old", t0), t1))).toBe("no chain");
  });
});
