// The contract probe: analytics-service's real consumer (client, config, ce_type routing,
// decoding, envelope and dead-letter path) with only the counting step replaced by a recorder
// that prints, per call, one JSON line {"type", "view"} on stdout (see contract-view.ts).
//   node dist/contract-probe.js --bootstrap HOST:PORT --group GROUP
// Logs go to stderr; SIGTERM or SIGINT closes the consumer and exits 0.
import path from "node:path";
import { parseArgs } from "node:util";
import { pino } from "pino";
import { toRecentEvent } from "./analytics/aggregate.js";
import { loadConfig } from "./config.js";
import { eventView } from "./contract-view.js";
import { errorLine } from "./errors.js";
import { createConsumer } from "./kafka/consumer.js";
import { createProducer } from "./kafka/producer.js";
import { handleRecord, type EventCounter } from "./kafka/record-handler.js";

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { bootstrap: { type: "string" }, group: { type: "string" } }, strict: true });
  if (values.bootstrap === undefined || values.group === undefined) {
    throw new Error("usage: contract-probe --bootstrap HOST:PORT --group GROUP");
  }
  const config = loadConfig(
    { ...process.env, KAFKA_BOOTSTRAP_SERVERS: values.bootstrap, KAFKA_GROUP_ID: values.group },
    path.join(import.meta.dirname, "dashboard"),
  );
  const logger = pino({ level: config.logLevel, base: { service: `${config.serviceName}-contract-probe` } }, pino.destination(2));
  const producer = createProducer(config);

  const recorder: EventCounter = {
    apply(event) {
      process.stdout.write(`${JSON.stringify(eventView(event))}\n`);
      return { kind: "counted", recent: toRecentEvent(event), changes: [] };
    },
    recordDeadLetter: () => undefined,
  };
  const consumer = createConsumer({
    config,
    logger,
    handle: (record, replayed) =>
      handleRecord(record, replayed, {
        aggregate: recorder,
        chains: { add: () => [] },
        group: config.groupId,
        publishDlq: (r) => producer.send([r]),
        onCounted: () => undefined,
        now: () => new Date(),
      }),
  });
  consumer.start();

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      void (async () => {
        await consumer.close();
        await producer.close().catch((e: unknown) => logger.warn({ err: errorLine(e) }, "producer close failed"));
        process.exit(0);
      })();
    });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
