// The brokers' partition count as Prometheus reports it, waited for until it covers the contract's
// topics. Prometheus may have scraped a broker before `up` created the topics: that sample says 0
// until the next scrape, so the wait is for the count, not for the first sample.
import { topicPartitions, contractTopics } from "../../src/stack/kafka/topics.js";
import { waitForValue } from "../../src/wait.js";

/** Every contract topic (the event topics and their .dlq) has a replica of each partition on every broker. */
export const contractPartitionsPerBroker = contractTopics.length * topicPartitions;

export interface Sample {
  readonly value: readonly [number, string];
}

/** `sum(kafka_server_replicamanager_partitioncount{<selector>})`, once the brokers report the contract's partitions. */
export async function brokerPartitions(
  query: (expr: string) => Promise<readonly Sample[]>,
  selector: string,
  brokers: number,
  timeoutMs: number,
): Promise<number> {
  const wanted = contractPartitionsPerBroker * brokers;
  return await waitForValue(
    `kafka_server_replicamanager_partitioncount to reach ${wanted} (the contract's topics on ${brokers} broker${brokers === 1 ? "" : "s"})`,
    async () => {
      const samples = await query(`sum(kafka_server_replicamanager_partitioncount{${selector}})`);
      return samples.length === 1 ? Number(samples[0]?.value[1]) : Number.NaN;
    },
    (count) => count >= wanted,
    { timeoutMs, intervalMs: 500, show: (count) => (Number.isNaN(count) ? "no sample yet" : String(count)) },
  );
}
