// Measures how long analytics-service takes to rebuild its state from the log: writes N events
// (sign-up, order, e-mail, in the demo's proportions) to a broker of its own, starts the built
// service with a new group (a first start: every event is new and publishes its AnalyticsUpdates),
// stops it once it counted them all, and starts it again (a restart: every event is a replay).
//   node bench/rebuild.ts 127.0.0.1:19092 100000
// Use an empty broker that nothing else uses (not the stack's 9092): the services there would react.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createServer } from "node:net";
import { create, toBinary } from "@bufbuild/protobuf";
import { Producer } from "@platformatic/kafka";
import { EmailSentEventSchema } from "../dist/gen/polyglot/events/v1/notification_events_pb.js";
import { OrderCreatedEventSchema } from "../dist/gen/polyglot/events/v1/order_events_pb.js";
import { UserSignupEventSchema } from "../dist/gen/polyglot/events/v1/user_events_pb.js";

const [bootstrap = "127.0.0.1:19092", countText = "100000"] = process.argv.slice(2);
const count = Number(countText);

function record(topic: string, type: string, source: string, userId: string, value: Uint8Array) {
  const headers: Record<string, string> = {
    ce_specversion: "1.0",
    ce_id: randomUUID(),
    ce_source: `/${source}`,
    ce_type: type,
    ce_time: new Date().toISOString(),
    "content-type": "application/protobuf",
    ce_correlationid: randomUUID(),
    ce_causationid: "",
  };
  return {
    topic,
    key: Buffer.from(userId),
    value: Buffer.from(value),
    headers: new Map(Object.entries(headers).map(([k, v]) => [Buffer.from(k), Buffer.from(v)])),
  };
}

const producer = new Producer({ clientId: "analytics-bench", bootstrapBrokers: [bootstrap] });
const writeStart = performance.now();
for (let sent = 0; sent < count; ) {
  const batch = [];
  for (let i = 0; i < 1000 && sent < count; i += 1, sent += 1) {
    const userId = `bench-${sent % 5000}`;
    switch (sent % 6) {
      case 0:
        batch.push(record("user-events", UserSignupEventSchema.typeName, "user-service", userId, toBinary(UserSignupEventSchema, create(UserSignupEventSchema, { userId, email: `${userId}@example.com` }))));
        break;
      case 1:
      case 2:
        batch.push(
          record("order-events", OrderCreatedEventSchema.typeName, "order-service", userId,
            toBinary(OrderCreatedEventSchema, create(OrderCreatedEventSchema, { orderId: randomUUID(), userId, totalMoney: { currencyCode: "USD", units: 109n, nanos: 970_000_000 } }))),
        );
        break;
      default:
        batch.push(record("notification-events", EmailSentEventSchema.typeName, "notification-service", userId, toBinary(EmailSentEventSchema, create(EmailSentEventSchema, { userId }))));
    }
  }
  await producer.send({ messages: batch });
}
await producer.close();
console.log(`wrote ${count} events in ${((performance.now() - writeStart) / 1000).toFixed(1)} s`);

async function freePort(): Promise<number> {
  return new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const address = s.address();
      s.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}

/** Starts the service, waits until it counted `count` events, reports, and stops it. */
async function run(label: string, group: string): Promise<void> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, ["dist/main.js"], {
    env: {
      ...process.env,
      KAFKA_BOOTSTRAP_SERVERS: bootstrap,
      HTTP_PORT: String(port),
      KAFKA_GROUP_ID: group,
      LOG_LEVEL: "warn",
      // The first start makes two spans per event: they go to the Zipkin of your stack (ZIPKIN_PORT).
      ZIPKIN_ENDPOINT: process.env["ZIPKIN_ENDPOINT"] ?? `http://127.0.0.1:${process.env["ZIPKIN_PORT"] ?? 9411}/api/v2/spans`,
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  try {
    for (;;) {
      const metrics = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.json() as Promise<{ eventsTotal: number }>).catch(() => undefined);
      if (metrics !== undefined && metrics.eventsTotal >= count) break;
      if (performance.now() - started > 600_000) throw new Error(`not caught up after 600 s: ${metrics?.eventsTotal ?? "?"} events`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (performance.now() - started) / 1000;
    const prometheus = await fetch(`http://127.0.0.1:${port}/metrics/prometheus`).then((r) => r.text());
    const heap = Number(/^nodejs_heap_size_used_bytes(?:\{[^}]*\})? (\d+)/m.exec(prometheus)?.[1] ?? 0);
    console.log(`${label}: ${count} events in ${seconds.toFixed(1)} s (${Math.round(count / seconds)} events/s from process start), heap used ${(heap / 2 ** 20).toFixed(0)} MiB`);
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
}

const group = `bench-${randomUUID()}`;
await run("first start (new group, publishes AnalyticsUpdates)", group);
await run("restart (same group, replays)", group);
