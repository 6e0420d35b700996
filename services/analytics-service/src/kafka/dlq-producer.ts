// Publishes dead-letter records and waits for the broker's acknowledgement.
import { ProduceAcks, Producer } from "@platformatic/kafka";
import type { Config } from "../config.js";
import type { DlqRecord } from "../events/dlq.js";
import { AnalyticsError } from "../errors.js";

export interface DlqPublisher {
  publish(record: DlqRecord): Promise<void>;
  close(): Promise<void>;
}

export function createDlqPublisher(config: Config): DlqPublisher {
  const producer = new Producer({
    clientId: `${config.serviceName}-dlq`,
    bootstrapBrokers: [...config.kafkaBootstrapServers],
    acks: ProduceAcks.ALL,
    retries: 5,
  });
  return {
    async publish(record) {
      try {
        await producer.send({
          messages: [
            {
              topic: record.topic,
              ...(record.key === undefined ? {} : { key: record.key }),
              ...(record.value === undefined ? {} : { value: record.value }),
              headers: new Map(record.headers.map(([k, v]) => [k, v])),
            },
          ],
        });
      } catch (e: unknown) {
        throw new AnalyticsError("DLQ_PUBLISH_FAILED", `could not publish to ${record.topic}`, { cause: e });
      }
    },
    async close() {
      await producer.close();
    },
  };
}
