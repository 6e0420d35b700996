// analytics-service against the real broker: contract records in, counts, chains and DLQ records out,
// and a restart that rebuilds the same numbers without dead-lettering anything twice.
import { randomUUID } from "node:crypto";
import { create, fromBinary, toBinary, type DescMessage, type MessageInitShape } from "@bufbuild/protobuf";
import { Consumer, Producer } from "@platformatic/kafka";
import { AnalyticsUpdateSchema } from "../src/gen/polyglot/events/v1/analytics_events_pb.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Chain, MetricsSnapshot } from "../src/analytics/snapshot.js";
import { EmailSentEventSchema, EmailType } from "../src/gen/polyglot/events/v1/notification_events_pb.js";
import { OrderCreatedEventSchema, OrderStatus } from "../src/gen/polyglot/events/v1/order_events_pb.js";
import { SignupSource, UserSignupEventSchema } from "../src/gen/polyglot/events/v1/user_events_pb.js";
import { startService, type ServiceProcess } from "./service-process.js";

const bootstrap = process.env["KAFKA_BOOTSTRAP_SERVERS"] ?? "127.0.0.1:9092";
const brokers = bootstrap.split(",");

// This run's own ids, so records of other runs and other services on the same broker never match.
const run = randomUUID().slice(0, 8);
const userId = `it-user-${run}`;
const signupChain = `it-signup-${run}`;
const orderChain = `it-order-${run}`;
const markerChain = `it-marker-${run}`;
const group = `analytics-it-${run}`;
// A currency code of its own (three random letters, never one the services use), so its revenue
// sum is this run's alone although the service reads every record the broker ever kept. Two runs
// on the same broker data pick the same code once in 17,576 (CI starts from an empty broker).
const currency = (() => {
  for (;;) {
    const code = Array.from({ length: 3 }, () => String.fromCharCode(65 + Math.floor(Math.random() * 26))).join("");
    if (!["USD", "EUR", "GBP", "JPY"].includes(code)) return code;
  }
})();
const ids = {
  signup: randomUUID(),
  welcome: randomUUID(),
  order: randomUUID(),
  mails: [randomUUID(), randomUUID(), randomUUID()],
  poison: randomUUID(),
  markers: [randomUUID(), randomUUID(), randomUUID()],
};
const ours = new Set<string>([ids.signup, ids.welcome, ids.order, ...ids.mails]);

function headers(type: string, id: string, source: string, correlationId: string, causationId: string): Map<Buffer, Buffer> {
  const h: Record<string, string> = {
    ce_specversion: "1.0",
    ce_id: id,
    ce_source: `/${source}`,
    ce_type: type,
    ce_time: new Date().toISOString(),
    "content-type": "application/protobuf",
    ce_correlationid: correlationId,
    ce_causationid: causationId,
    traceparent: `00-${randomUUID().replaceAll("-", "")}-${randomUUID().replaceAll("-", "").slice(0, 16)}-01`,
  };
  return new Map(Object.entries(h).map(([k, v]) => [Buffer.from(k), Buffer.from(v)]));
}

function message<Desc extends DescMessage>(
  topic: string,
  schema: Desc,
  init: MessageInitShape<Desc>,
  meta: { id: string; source: string; correlationId: string; causationId?: string; type?: string },
) {
  return {
    topic,
    key: Buffer.from(userId),
    value: Buffer.from(toBinary(schema, create(schema, init))),
    headers: headers(meta.type ?? schema.typeName, meta.id, meta.source, meta.correlationId, meta.causationId ?? ""),
  };
}

const money = (units: bigint, nanos: number) => ({ currencyCode: currency, units, nanos });

async function poll<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * The chain once it holds our `events` events, with only ours: services of a running stack on
 * the same broker react to these records too (a welcome order for the sign-up, say) and join the chain.
 */
async function chain(service: ServiceProcess, id: string, events: number): Promise<Chain> {
  return poll(`chain ${id} with ${events} events`, async () => {
    const res = await fetch(`${service.base}/api/chains/${id}`);
    if (!res.ok) return undefined;
    const c = (await res.json()) as Chain;
    const mine = { ...c, events: c.events.filter((e) => ours.has(e.eventId)) };
    return mine.events.length >= events ? mine : undefined;
  });
}

/**
 * Waits until the service has handled every record this run sent: the marker chain, sent last on
 * the same partition of each topic (same key), is indexed only after everything before it was
 * handled (a dead letter is written before the next record is taken). An assertion of "exactly"
 * comes after this, so a late second count or dead letter is there to be seen.
 */
async function handledAll(service: ServiceProcess): Promise<void> {
  const res = await poll(`the marker chain ${markerChain}, sent after every other record`, async () => {
    const answer = await fetch(`${service.base}/api/chains/${markerChain}`);
    if (!answer.ok) return undefined;
    const c = (await answer.json()) as Chain;
    return ids.markers.every((m) => c.events.some((e) => e.eventId === m)) ? c : undefined;
  });
  expect(res.events.length).toBeGreaterThanOrEqual(ids.markers.length);
}

async function metrics(service: ServiceProcess): Promise<MetricsSnapshot> {
  return (await (await fetch(`${service.base}/metrics`)).json()) as MetricsSnapshot;
}

/** Every record on `topic` that `keep` selects, read from the start to the end offsets of now. */
async function readTopic<T>(topic: string, keep: (m: { key: Buffer; value: Buffer; headers: Map<string, string> }) => T | undefined): Promise<T[]> {
  const consumer = new Consumer({ clientId: `analytics-it-${run}`, groupId: `analytics-it-read-${randomUUID()}`, bootstrapBrokers: brokers });
  try {
    const end = (await consumer.listOffsets({ topics: [topic] })).get(topic) ?? [];
    const remaining = new Map(end.map((o, p) => [p, o] as const).filter(([, o]) => o > 0n));
    const found: T[] = [];
    if (remaining.size === 0) return found;
    const stream = await consumer.consume({ topics: [topic], mode: "earliest", autocommit: false });
    for await (const m of stream) {
      const headers = new Map([...m.headers].map(([k, v]) => [k.toString(), v.toString()]));
      const kept = keep({ key: m.key, value: m.value, headers });
      if (kept !== undefined) found.push(kept);
      if (m.offset + 1n >= (remaining.get(m.partition) ?? 0n)) remaining.delete(m.partition);
      if (remaining.size === 0) break;
    }
    await stream.close();
    return found;
  } finally {
    await consumer.close(true);
  }
}

/** The records on user-events.dlq that this run's service wrote for the poison record (a stack's analytics-service may write its own). */
async function dlqCopies(): Promise<Array<{ key: string; value: Buffer; headers: Map<string, string> }>> {
  return readTopic("user-events.dlq", (m) =>
    m.headers.get("ce_id") === ids.poison && m.headers.get("dlq.group") === group ? { key: m.key.toString(), value: m.value, headers: m.headers } : undefined,
  );
}

// A type the contract does not have: the consumer must dead-letter it, bytes and headers unchanged.
const poison = message("user-events", UserSignupEventSchema, { userId }, { id: ids.poison, source: "user-service", correlationId: signupChain, type: "polyglot.events.v1.UserDeletedEvent" });

let service: ServiceProcess | undefined;

beforeAll(async () => {
  const producer = new Producer({ clientId: `analytics-it-${run}`, bootstrapBrokers: brokers });
  const order = message(
    "order-events",
    OrderCreatedEventSchema,
    {
      orderId: `order-${run}`,
      userId,
      status: OrderStatus.PENDING,
      totalMoney: money(109n, 970_000_000),
      items: [
        { productId: "prod_1", quantity: 2, unitPriceMoney: money(29n, 990_000_000) },
        { productId: "prod_2", quantity: 1, unitPriceMoney: money(49n, 990_000_000) },
      ],
    },
    { id: ids.order, source: "order-service", correlationId: orderChain },
  );
  await producer.send({
    messages: [
      // Before the sign-up on the same partition: once the sign-up is counted, this was handled.
      poison,
      message("user-events", UserSignupEventSchema, { userId, email: `${run}@example.com`, source: SignupSource.API }, { id: ids.signup, source: "user-service", correlationId: signupChain }),
      message(
        "order-events",
        OrderCreatedEventSchema,
        { orderId: `welcome-${run}`, userId, status: OrderStatus.CONFIRMED, totalMoney: money(0n, 0) },
        { id: ids.welcome, source: "order-service", correlationId: signupChain, causationId: ids.signup },
      ),
      order,
      // A redelivery: the same record twice.
      order,
      message("notification-events", EmailSentEventSchema, { userId, emailType: EmailType.WELCOME }, { id: ids.mails[0]!, source: "notification-service", correlationId: signupChain, causationId: ids.signup }),
      message("notification-events", EmailSentEventSchema, { userId, emailType: EmailType.ORDER_CONFIRMATION }, { id: ids.mails[1]!, source: "notification-service", correlationId: signupChain, causationId: ids.welcome }),
      message("notification-events", EmailSentEventSchema, { userId, emailType: EmailType.ORDER_CONFIRMATION }, { id: ids.mails[2]!, source: "notification-service", correlationId: orderChain, causationId: ids.order }),
      // Last, one per topic with the same key: once these are indexed, everything above was handled.
      message("user-events", UserSignupEventSchema, { userId, email: `${run}-marker@example.com`, source: SignupSource.API }, { id: ids.markers[0]!, source: "user-service", correlationId: markerChain }),
      message(
        "order-events",
        OrderCreatedEventSchema,
        { orderId: `marker-${run}`, userId, status: OrderStatus.CONFIRMED, totalMoney: money(0n, 0) },
        { id: ids.markers[1]!, source: "order-service", correlationId: markerChain, causationId: ids.markers[0]! },
      ),
      message("notification-events", EmailSentEventSchema, { userId, emailType: EmailType.WELCOME }, { id: ids.markers[2]!, source: "notification-service", correlationId: markerChain, causationId: ids.markers[0]! }),
    ],
  });
  await producer.close();
  service = await startService({ KAFKA_BOOTSTRAP_SERVERS: bootstrap, KAFKA_GROUP_ID: group });
});

afterAll(async () => {
  await service?.stop();
});

describe("analytics-service on the real broker", () => {
  it("indexes the sign-up chain causally, across three topics", async () => {
    await chain(service!, signupChain, 4);
    await handledAll(service!);
    const c = await chain(service!, signupChain, 4);
    expect(c.events[0]?.eventId).toBe(ids.signup);
    expect(Object.fromEntries(c.events.map((e) => [e.eventId, [e.type, e.service, e.parentId]]))).toEqual({
      [ids.signup]: ["UserSignupEvent", "user-service", null],
      [ids.welcome]: ["OrderCreatedEvent", "order-service", ids.signup],
      [ids.mails[0]!]: ["EmailSentEvent", "notification-service", ids.signup],
      [ids.mails[1]!]: ["EmailSentEvent", "notification-service", ids.welcome],
    });
    const welcome = c.events.findIndex((e) => e.eventId === ids.welcome);
    const welcomeMail = c.events.findIndex((e) => e.eventId === ids.mails[1]);
    expect(welcomeMail).toBeGreaterThan(welcome);
  });

  it("counts the redelivered order once, with exact revenue", async () => {
    await handledAll(service!);
    const c = await chain(service!, orderChain, 2);
    expect(c.events.map((e) => e.type)).toEqual(["OrderCreatedEvent", "EmailSentEvent"]);
    const m = await metrics(service!);
    expect(m.revenueByCurrency[currency]).toBe("109.97");
  });

  it("sends the record of unknown type to user-events.dlq with its bytes and the dlq.* headers", async () => {
    await handledAll(service!);
    const copies = await dlqCopies();
    expect(copies).toHaveLength(1);
    const copy = copies[0]!;
    expect(copy.key).toBe(userId);
    expect(copy.value.equals(poison.value)).toBe(true);
    for (const [k, v] of poison.headers) expect(copy.headers.get(k.toString())).toBe(v.toString());
    expect(copy.headers.get("dlq.reason")).toBe("unknown-type");
    expect(copy.headers.get("dlq.topic")).toBe("user-events");
    expect(copy.headers.get("dlq.group")).toBe(group);
    expect(copy.headers.get("dlq.partition")).toMatch(/^\d+$/);
    expect(copy.headers.get("dlq.offset")).toMatch(/^\d+$/);
    expect(Date.parse(copy.headers.get("dlq.time") ?? "")).not.toBeNaN();
  });

  it("publishes an AnalyticsUpdate per counter the sign-up moved, in the sign-up's chain", async () => {
    await chain(service!, signupChain, 4);
    const updates = await poll("the sign-up's AnalyticsUpdates", async () => {
      const found = await readTopic("analytics-events", (m) =>
        m.headers.get("ce_causationid") === ids.signup ? { key: m.key.toString(), headers: m.headers, update: fromBinary(AnalyticsUpdateSchema, m.value) } : undefined,
      );
      return found.some((u) => u.key === "user_signups") && found.some((u) => u.key === "signups_by_source") ? found : undefined;
    });
    // A stack's analytics-service on the same broker publishes its own: each is checked alike.
    for (const { key, headers, update } of updates) {
      expect(headers.get("ce_type")).toBe("polyglot.events.v1.AnalyticsUpdate");
      expect(headers.get("ce_source")).toBe("/analytics-service");
      expect(headers.get("ce_correlationid")).toBe(signupChain);
      expect(headers.get("content-type")).toBe("application/protobuf");
      expect(headers.get("traceparent")).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      expect(update.metricName).toBe(key);
      expect(update.triggerEventId).toBe(ids.signup);
      expect(update.eventMetadata).toMatchObject({ eventId: headers.get("ce_id"), correlationId: signupChain, causationId: ids.signup, sourceService: "analytics-service" });
    }
    expect(updates.find((u) => u.key === "signups_by_source")?.update.labels).toEqual({ source: "api" });
  });

  it("stops cleanly on SIGTERM and rebuilds the same numbers on restart, dead-lettering nothing twice", async () => {
    await handledAll(service!);
    const before = await chain(service!, signupChain, 4);
    const revenueBefore = (await metrics(service!)).revenueByCurrency[currency];
    expect(await service!.stop()).toBe(0);
    expect(service!.output()).toContain('"msg":"stopped"');

    service = await startService({ KAFKA_BOOTSTRAP_SERVERS: bootstrap, KAFKA_GROUP_ID: group });
    // The rebuild replays every topic from its start: judged once it is past this run's records.
    await handledAll(service);
    const after = await chain(service, signupChain, 4);
    expect(after.events.map((e) => e.eventId)).toEqual(before.events.map((e) => e.eventId));
    expect((await metrics(service)).revenueByCurrency[currency]).toBe(revenueBefore);
    expect(await dlqCopies()).toHaveLength(1);
  });
});
