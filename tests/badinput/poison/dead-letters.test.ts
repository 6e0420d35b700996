// Poison records on every topic the services consume, built by `./polyglot chaos poison`'s own
// code (cli/src/chaos/): random bytes, a truncated protobuf, a wrong ce_type, missing ce_* headers
// and a 1 MiB value. Each consuming group must put its own copy in `<topic>.dlq` (dlq.group tells
// them apart) with the contract's reason and dlq.* headers and the original key, value and headers;
// and a good chain sent right after must still complete.
import { randomUUID } from "node:crypto";
import { Admin, Consumer, stringDeserializer, type Message } from "@platformatic/kafka";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { producePoison, type Produced } from "../../../cli/src/chaos/dlq.js";
import { largeValueBytes, poisonRecords, type PoisonRecord } from "../../../cli/src/chaos/poison.js";
import { waitForQuiet } from "../../../cli/src/events/settle.js";
import { waitUntil } from "../../../cli/src/wait.js";
import { bootstrap, stackUrls } from "../support/stack.js";

type DlqMessage = Message<string, Buffer, string, string>;

const consumedTopics = ["user-events", "order-events", "notification-events"] as const;
type ConsumedTopic = (typeof consumedTopics)[number];

/** The service groups that consume each topic whatever their configuration (order-service's saga adds order-events). */
const atLeast: Readonly<Record<ConsumedTopic, readonly string[]>> = {
  "user-events": ["order-service", "notification-service", "analytics-service"],
  "order-events": ["notification-service", "analytics-service"],
  "notification-events": ["analytics-service"],
};
const serviceGroups = new Set(["order-service", "notification-service", "analytics-service"]);
const dlqHeaders = ["dlq.reason", "dlq.error", "dlq.topic", "dlq.partition", "dlq.offset", "dlq.group", "dlq.time"];
const rfc3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/;

/** The service groups whose members are subscribed to `topic` now. */
async function consumingGroups(topic: string): Promise<string[]> {
  const admin = new Admin({ clientId: "badinput-admin", bootstrapBrokers: bootstrap().split(",") });
  try {
    const groups = [...(await admin.listGroups()).keys()].filter((g) => serviceGroups.has(g));
    const described = await admin.describeGroups({ groups });
    return groups
      .filter((g) =>
        [...(described.get(g)?.members.values() ?? [])].some((m) => (m.metadata?.topics ?? []).includes(topic) || m.assignments?.has(topic) === true),
      )
      .sort();
  } finally {
    await admin.close();
  }
}

/** Reads the three `.dlq` topics from their start for as long as the file runs. */
class DlqReader {
  readonly records: DlqMessage[] = [];
  readonly topics = consumedTopics.map((t) => `${t}.dlq`);
  private readonly consumer = new Consumer({
    clientId: "badinput-dlq-reader",
    groupId: `badinput-dlq-${randomUUID()}`,
    bootstrapBrokers: bootstrap().split(","),
    maxWaitTime: 200,
    deserializers: { key: stringDeserializer, headerKey: stringDeserializer, headerValue: stringDeserializer },
  });
  private done: Promise<void> | undefined;

  async open(): Promise<void> {
    const stream = await this.consumer.consume({ topics: this.topics, mode: "earliest", autocommit: false });
    this.done = (async () => {
      for await (const message of stream) this.records.push(message as DlqMessage);
    })();
  }

  async close(): Promise<void> {
    await this.consumer.close(true);
    await this.done?.catch(() => undefined);
  }
}

describe("poison records -> one dead letter per consuming group, with the dlq.* headers", () => {
  const dlq = new DlqReader();

  beforeAll(async () => {
    await dlq.open();
  });

  afterAll(async () => {
    await dlq.close();
  });

  it.each(consumedTopics)("%s: each poison kind lands in its .dlq once per group, bytes and headers kept", async (topic) => {
    const groups = await consumingGroups(topic);
    expect(groups, `consumer groups subscribed to ${topic}`).toEqual(expect.arrayContaining([...atLeast[topic]]));

    const correlationId = `badinput-${randomUUID()}`;
    const records = poisonRecords(topic, correlationId);
    expect(records.map((r) => r.kind)).toEqual(["random-bytes", "truncated-protobuf", "wrong-ce-type", "missing-headers", "one-mebibyte"]);
    expect(records.find((r) => r.kind === "one-mebibyte")?.value.length).toBe(largeValueBytes);
    const produced = await producePoison(bootstrap(), topic, records);
    const key = records[0]?.key ?? "";
    const ours = (): DlqMessage[] => dlq.records.filter((m) => m.topic === `${topic}.dlq` && m.key === key);

    // Every group handles every record; the wait ends as soon as all copies are there.
    await waitUntil(`${records.length} x ${groups.length} dead letters in ${topic}.dlq (groups ${groups.join(", ")})`, () => ours().length >= records.length * groups.length, 60_000).catch((e: unknown) => {
      const have = ours().map((m) => `${m.headers.get("dlq.group")}/${m.headers.get("dlq.reason")}@${m.headers.get("dlq.offset")}`);
      throw new Error(`${e instanceof Error ? e.message : String(e)}; have ${have.length}: ${have.join(", ") || "none"}; produced ${produced.map((p) => `${p.kind}@${p.partition}/${p.offset}`).join(", ")}`);
    });
    // "Once per group" is judged after every group has committed past the poison (a dead letter
    // is written before its record is committed) and the reader has read the .dlq to its end:
    // a second copy written late is then among what is checked.
    await waitForQuiet({ bootstrap: bootstrap(), groups: Object.fromEntries(groups.map((g) => [g, [topic]])), reader: dlq, timeoutMs: 60_000 });

    const failures: string[] = [];
    records.forEach((record: PoisonRecord, i) => {
      const at = produced[i] as Produced;
      const copies = ours().filter((m) => m.headers.get("dlq.partition") === String(at.partition) && m.headers.get("dlq.offset") === String(at.offset));
      for (const group of groups) {
        const mine = copies.filter((m) => m.headers.get("dlq.group") === group);
        const where = `${topic} ${record.kind} (${at.partition}@${at.offset}) by ${group}`;
        if (mine.length !== 1) {
          failures.push(`${where}: ${mine.length} dead letters, want 1`);
          continue;
        }
        const copy = mine[0] as DlqMessage;
        const h = copy.headers;
        const absent = dlqHeaders.filter((name) => (h.get(name) ?? "") === "");
        if (absent.length > 0) failures.push(`${where}: no ${absent.join(", ")}`);
        if (h.get("dlq.reason") !== record.expected) failures.push(`${where}: dlq.reason ${h.get("dlq.reason")}, want ${record.expected} (dlq.error: ${h.get("dlq.error")})`);
        if (h.get("dlq.topic") !== topic) failures.push(`${where}: dlq.topic ${h.get("dlq.topic")}`);
        if (/[\r\n]/.test(h.get("dlq.error") ?? "")) failures.push(`${where}: dlq.error is not one line`);
        if (!rfc3339.test(h.get("dlq.time") ?? "")) failures.push(`${where}: dlq.time ${h.get("dlq.time")} is not RFC 3339`);
        if (copy.key !== record.key) failures.push(`${where}: key ${copy.key}, want ${record.key}`);
        if (!Buffer.from(copy.value ?? Buffer.alloc(0)).equals(record.value)) failures.push(`${where}: value of ${copy.value?.length ?? 0} bytes differs from the ${record.value.length} sent`);
        for (const [name, value] of Object.entries(record.headers)) {
          if (h.get(name) !== value) failures.push(`${where}: header ${name} ${JSON.stringify(h.get(name))}, want ${JSON.stringify(value)}`);
        }
      }
      const strangers = copies.filter((m) => !groups.includes(m.headers.get("dlq.group") ?? ""));
      if (strangers.length > 0) failures.push(`${topic} ${record.kind}: dead letters from groups not consuming it: ${strangers.map((m) => m.headers.get("dlq.group")).join(", ")}`);
    });
    expect(failures).toEqual([]);
  });
});

describe("after the poison", () => {
  it("a sign-up through the HTTP API still completes: welcome order, e-mails, counted by analytics", async () => {
    const urls = stackUrls();
    const correlationId = randomUUID();
    const email = `badinput-${correlationId}@example.com`;
    const signup = await fetch(`${urls.user}/api/users/signup`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-correlation-id": correlationId },
      body: JSON.stringify({ email, name: "After Poison" }),
      signal: AbortSignal.timeout(15_000),
    });
    expect(signup.status).toBe(201);
    const userId = ((await signup.json()) as { user_id: string }).user_id;

    let orders: Array<{ items: Array<{ product_id: string }>; correlation_id: string }> = [];
    const readOrders = async (): Promise<typeof orders> => {
      const r = await fetch(`${urls.order}/api/orders?user_id=${encodeURIComponent(userId)}`, { signal: AbortSignal.timeout(5_000) });
      return r.ok ? ((await r.json()) as { orders: typeof orders }).orders : [];
    };
    await waitUntil("the welcome order", async () => (orders = await readOrders()).length > 0, 45_000);
    // Exactly one welcome order: judged once the services have drained, so a late second one is seen.
    await waitForQuiet({ bootstrap: bootstrap(), timeoutMs: 60_000 });
    orders = await readOrders();
    expect(orders).toHaveLength(1);
    expect(orders[0]?.items.map((i) => i.product_id)).toEqual(["welcome-package"]);
    expect(orders[0]?.correlation_id).toBe(correlationId);

    // The welcome e-mail and the welcome order's confirmation, both to the real address.
    let sent: Array<{ notification_type: string; recipient: string }> = [];
    await waitUntil("the welcome e-mail and the order confirmation", async () => {
      const r = await fetch(`${urls.notification}/api/notifications?user_id=${encodeURIComponent(userId)}`, { signal: AbortSignal.timeout(5_000) });
      sent = r.ok ? ((await r.json()) as { notifications: typeof sent }).notifications : [];
      return sent.length >= 2;
    }, 45_000);
    expect(sent.every((n) => n.recipient === email), JSON.stringify(sent)).toBe(true);

    let chainTypes: string[] = [];
    await waitUntil("analytics' view of the chain", async () => {
      const r = await fetch(`${urls.analytics}/api/chains/${encodeURIComponent(correlationId)}`, { signal: AbortSignal.timeout(5_000) });
      chainTypes = r.ok ? ((await r.json()) as { events: Array<{ type: string }> }).events.map((e) => e.type) : [];
      return ["UserSignupEvent", "OrderCreatedEvent", "EmailSentEvent"].every((t) => chainTypes.some((c) => c.endsWith(t)));
    }, 45_000);
    expect(chainTypes.filter((t) => t.endsWith("EmailSentEvent")).length).toBeGreaterThanOrEqual(2);
  });
});
