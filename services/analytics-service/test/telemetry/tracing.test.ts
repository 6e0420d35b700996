// The consumer span continues the record's trace, the AnalyticsUpdates' traceparent is a child of
// it, log lines inside carry trace_id, and the spans reach a Zipkin v2 intake (a local fake here;
// the stack suite reads the real Zipkin).
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { activeTraceId, inConsumerSpan, producerTraceparent, startTracing, type Tracing } from "../../src/telemetry/tracing.js";

interface ZipkinSpan {
  traceId: string;
  id: string;
  parentId?: string;
  kind?: string;
  name: string;
  localEndpoint: { serviceName: string };
  tags?: Record<string, string>;
}

let zipkin: Server;
let tracing: Tracing;
const received: ZipkinSpan[] = [];

beforeAll(async () => {
  zipkin = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      received.push(...(JSON.parse(body) as ZipkinSpan[]));
      res.writeHead(202).end();
    });
  });
  zipkin.listen(0, "127.0.0.1");
  await once(zipkin, "listening");
  const { port } = zipkin.address() as AddressInfo;
  tracing = startTracing({ serviceName: "analytics-service", zipkinEndpoint: `http://127.0.0.1:${port}/api/v2/spans` });
});

afterAll(async () => {
  await tracing.shutdown();
  zipkin.close();
});

describe("tracing", () => {
  it("continues the record's trace: consumer span, producer span for the updates, trace_id on log lines", async () => {
    const traceId = "0af7651916cd43dd8448eb211c80319c";
    const lines: string[] = [];
    const logger = pino({ mixin: () => (activeTraceId() === undefined ? {} : { trace_id: activeTraceId() }) }, { write: (l: string) => lines.push(l) });
    let updateTraceparent: string | undefined;
    await inConsumerSpan(
      { topic: "user-events", partition: 1, offset: 7n, key: Buffer.from("user-1"), traceparent: `00-${traceId}-b7ad6b7169203331-01` },
      "analytics-service",
      async () => {
        logger.info("inside");
        updateTraceparent = producerTraceparent("analytics-events", "user_signups");
        return "counted";
      },
      () => undefined,
    );
    logger.info("outside");
    expect(JSON.parse(lines[0] ?? "{}")).toMatchObject({ trace_id: traceId, msg: "inside" });
    expect(JSON.parse(lines[1] ?? "{}")).not.toHaveProperty("trace_id");
    expect(updateTraceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));

    await tracing.shutdown();
    // Waits for the two spans asserted on, not for any two spans.
    await vi.waitFor(() => expect(received.map((s) => s.kind)).toEqual(expect.arrayContaining(["CONSUMER", "PRODUCER"])), { timeout: 5_000 });
    const consumer = received.find((s) => s.kind === "CONSUMER");
    const producer = received.find((s) => s.kind === "PRODUCER");
    expect(consumer).toMatchObject({ traceId, parentId: "b7ad6b7169203331", name: "user-events process", localEndpoint: { serviceName: "analytics-service" } });
    expect(consumer?.tags).toMatchObject({ "messaging.system": "kafka", "messaging.destination.name": "user-events", "messaging.kafka.offset": "7", "messaging.consumer.group.name": "analytics-service", "messaging.kafka.message.key": "user-1" });
    expect(producer).toMatchObject({ traceId, parentId: consumer?.id, name: "analytics-events publish" });
    expect(updateTraceparent?.split("-")[2]).toBe(producer?.id);
  });
});
