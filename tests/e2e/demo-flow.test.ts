// The contract's demo flow end to end, on the real stack: real HTTP calls, then every record of
// both chains read back from the real topics and checked for key, headers, correlation and causation.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventLog, type EventRecord } from "../../cli/src/events/event-log.js";
import { runDemoFlow, type DemoResult } from "../../cli/src/demo/flow.js";
import { expectRecord } from "./record-assertions.js";
import { stackUrls } from "./stack-urls.js";

const T = "polyglot.events.v1.";

describe("demo flow", () => {
  const urls = stackUrls();
  let events: EventLog;
  let result: DemoResult;

  beforeAll(async () => {
    events = await EventLog.open(urls.bootstrap);
    result = await runDemoFlow(urls, events);
  }, 120_000);

  afterAll(async () => {
    await events?.close();
  });

  it("answers and counts every number as the flow implies", () => {
    expect(result.signup.status).toBe(201);
    expect(result.order.status).toBe(201);
    expect(result.checks.filter((c) => !c.ok)).toEqual([]);
  });

  it("sign-up -> welcome order -> e-mails: one chain with the right keys, headers and causes", async () => {
    const { userId, correlationId } = result;
    const one = (rs: EventRecord[], what: string, p: (r: EventRecord) => boolean): EventRecord => {
      const found = rs.filter(p);
      expect(found, what).toHaveLength(1);
      return found[0] as EventRecord;
    };
    // The chain's last events may still be on their way when the flow's checks passed.
    await events.waitFor("the sign-up chain's 4 events", () => events.chain(correlationId).filter((r) => r.topic !== "analytics-events").length >= 4);
    const chain = events.chain(correlationId).filter((r) => r.topic !== "analytics-events");

    const signup = one(chain, "UserSignupEvent", (r) => r.type === `${T}UserSignupEvent`);
    expectRecord(signup, { type: `${T}UserSignupEvent`, source: "/user-service", key: userId, correlationId, causationId: "" });
    expect(signup.topic).toBe("user-events");
    expect(signup.value?.email).toBe(result.email);

    const welcome = one(chain, "welcome OrderCreatedEvent", (r) => r.type === `${T}OrderCreatedEvent`);
    expectRecord(welcome, { type: `${T}OrderCreatedEvent`, source: "/order-service", key: userId, correlationId, causationId: signup.headers.ce_id ?? "" });
    expect(welcome.topic).toBe("order-events");
    expect(welcome.value).toMatchObject({ status: "ORDER_STATUS_CONFIRMED", items: [{ productId: "welcome-package" }] });

    const emails = chain.filter((r) => r.type === `${T}EmailSentEvent`);
    expect(emails.map((e) => e.headers.ce_causationid).sort()).toEqual([signup.headers.ce_id, welcome.headers.ce_id].sort());
    for (const e of emails) {
      expectRecord(e, { type: `${T}EmailSentEvent`, source: "/notification-service", key: userId, correlationId, causationId: e.headers.ce_causationid ?? "" });
      expect(e.topic).toBe("notification-events");
      expect(e.value?.emailAddress).toBe(result.email);
    }
  });

  it("the posted order is a chain of its own: OrderCreatedEvent -> order confirmation", async () => {
    const { userId, orderCorrelationId: correlationId } = result;
    await events.waitFor("the order chain's 2 events", () => events.chain(correlationId).filter((r) => r.topic !== "analytics-events").length >= 2);
    const chain = events.chain(correlationId).filter((r) => r.topic !== "analytics-events");
    expect(chain.map((r) => r.type)).toEqual([`${T}OrderCreatedEvent`, `${T}EmailSentEvent`]);
    const [created, email] = chain as [EventRecord, EventRecord];
    expectRecord(created, { type: `${T}OrderCreatedEvent`, source: "/order-service", key: userId, correlationId, causationId: "" });
    expect(created.value).toMatchObject({ status: "ORDER_STATUS_PENDING", currency: "USD", totalMoney: { currencyCode: "USD", units: "109", nanos: 970000000 } });
    expectRecord(email, { type: `${T}EmailSentEvent`, source: "/notification-service", key: userId, correlationId, causationId: created.headers.ce_id ?? "" });
  });
});
