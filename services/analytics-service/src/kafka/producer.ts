// The one Kafka producer of analytics-service: DLQ records and the analytics-events it publishes.
// Each send resolves once the broker acknowledged every record (acks=all).
import { ProduceAcks, Producer } from "@platformatic/kafka";
import type { Config } from "../config.js";
import { AnalyticsError } from "../errors.js";

export interface ProducedRecord {
  readonly topic: string;
  readonly key: Buffer | undefined;
  readonly value: Buffer | undefined;
  readonly headers: ReadonlyArray<readonly [Buffer, Buffer]>;
}

export interface RecordProducer {
  send(records: readonly ProducedRecord[]): Promise<void>;
  close(): Promise<void>;
}

export function createProducer(config: Config): RecordProducer {
  const producer = new Producer({
    clientId: config.serviceName,
    bootstrapBrokers: [...config.kafkaBootstrapServers],
    acks: ProduceAcks.ALL,
    retries: 5,
  });
  return {
    async send(records) {
      if (records.length === 0) return;
      try {
        await producer.send({
          messages: records.map((r) => ({
            topic: r.topic,
            ...(r.key === undefined ? {} : { key: r.key }),
            ...(r.value === undefined ? {} : { value: r.value }),
            headers: new Map(r.headers.map(([k, v]) => [k, v])),
          })),
        });
      } catch (e: unknown) {
        const topics = [...new Set(records.map((r) => r.topic))].join(", ");
        throw new AnalyticsError("PUBLISH_FAILED", `could not publish to ${topics}`, { cause: e });
      }
    },
    async close() {
      await producer.close();
    },
  };
}
