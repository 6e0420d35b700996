import { describe, expect, it } from "vitest";
import { Aggregate } from "../../src/analytics/aggregate.js";
import { ChainIndex } from "../../src/analytics/chains.js";
import type { RecentEvent } from "../../src/analytics/snapshot.js";
import type { DlqRecord } from "../../src/events/dlq.js";
import { handleRecord, type RecordHandlerDeps } from "../../src/kafka/record-handler.js";
import { headerMap, orderCreated, signup } from "../fixtures.js";

function deps(publishDlq?: (r: DlqRecord) => Promise<void>) {
  const published: DlqRecord[] = [];
  const counted: RecentEvent[] = [];
  const d = {
    aggregate: new Aggregate({ recentEventsLimit: 50 }),
    chains: new ChainIndex(10),
    group: "analytics-service",
    publishDlq: publishDlq ?? (async (r) => void published.push(r)),
    onCounted: (e) => void counted.push(e),
    now: () => new Date("2026-11-25T09:30:00.000Z"),
  } satisfies RecordHandlerDeps;
  return { d, published, counted };
}

describe("handleRecord", () => {
  it("counts a good record, indexes its chain and reports it once", async () => {
    const { d, counted, published } = deps();
    const rec = signup({ correlationId: "c-1" });
    expect((await handleRecord(rec, false, d)).kind).toBe("counted");
    expect((await handleRecord(rec, false, d)).kind).toBe("duplicate");
    expect(counted).toHaveLength(1);
    expect(published).toHaveLength(0);
    expect(d.chains.get("c-1")?.events).toHaveLength(1);
  });

  it("sends a poison record to <topic>.dlq with its bytes, its headers and every dlq.* header", async () => {
    const { d, published } = deps();
    const rec = signup({ type: "polyglot.events.v1.Nope", partition: 2, offset: 41n });
    const outcome = await handleRecord(rec, false, d);
    expect(outcome).toMatchObject({ kind: "dead-lettered", reason: "unknown-type" });
    expect(published).toHaveLength(1);
    const dlq = published[0]!;
    expect(dlq.topic).toBe("user-events.dlq");
    expect(dlq.key).toEqual(rec.key);
    expect(dlq.value).toEqual(rec.value);
    const headers = headerMap(dlq);
    for (const [k, v] of headerMap(rec)) expect(headers.get(k)).toBe(v);
    expect(Object.fromEntries([...headers].filter(([k]) => k.startsWith("dlq.")))).toEqual({
      "dlq.reason": "unknown-type",
      "dlq.error": "ce_type polyglot.events.v1.Nope is not expected on user-events",
      "dlq.topic": "user-events",
      "dlq.partition": "2",
      "dlq.offset": "41",
      "dlq.group": "analytics-service",
      "dlq.time": "2026-11-25T09:30:00.000Z",
    });
    expect(d.aggregate.snapshot().dlqRecords).toEqual({ "user-events": 1 });
    expect(d.aggregate.snapshot().eventsTotal).toBe(0);
  });

  it("dead-letters an event the aggregate cannot take as handler-error", async () => {
    const { d, published } = deps();
    const outcome = await handleRecord(orderCreated(undefined, { totalAmount: 3.5 }), false, d);
    expect(outcome).toMatchObject({ kind: "dead-lettered", reason: "handler-error" });
    expect(headerMap(published[0]!).get("dlq.error")).toMatch(/no total_money/);
  });

  it("does not dead-letter a poison record again when it is replayed after a restart", async () => {
    const { d, published } = deps();
    const outcome = await handleRecord(signup({ omit: ["ce_id"] }), true, d);
    expect(outcome).toMatchObject({ kind: "poison-replayed", reason: "missing-header" });
    expect(published).toHaveLength(0);
    expect(d.aggregate.snapshot().dlqRecords).toEqual({ "user-events": 1 });
  });

  it("fails when the DLQ does not acknowledge, so the record is not committed", async () => {
    const { d } = deps(async () => {
      throw new Error("broker down");
    });
    await expect(handleRecord(signup({ value: Buffer.from([0x0f]) }), false, d)).rejects.toThrow("broker down");
  });
});
