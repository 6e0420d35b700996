// What the integration tests share: the broker address from the environment that
// `./polyglot test` sets, clients with the serde they use, and a topic of their own per test.
import { randomUUID } from "node:crypto";
import { Admin, Consumer, Producer, ProduceAcks, stringDeserializer, stringSerializer, type Message } from "@platformatic/kafka";

export function bootstrap(): string[] {
  const servers = process.env.KAFKA_BOOTSTRAP_SERVERS;
  if (servers === undefined || servers === "") {
    throw new Error("KAFKA_BOOTSTRAP_SERVERS is not set: run these tests with ./polyglot test, which starts the broker they need");
  }
  return servers.split(",");
}

export function createAdmin(): Admin {
  return new Admin({ clientId: "it-admin", bootstrapBrokers: bootstrap() });
}

/** String keys and header values, binary values: how the services write records. */
export type TestProducer = Producer<string, Buffer, string, string>;
export type TestMessage = Message<string, Buffer, string, string>;

export function createProducer(): TestProducer {
  return new Producer({
    clientId: `it-producer-${randomUUID()}`,
    bootstrapBrokers: bootstrap(),
    acks: ProduceAcks.ALL,
    // Keeps retrying while a partition's leader moves to another broker.
    retries: 20,
    retryDelay: 250,
    serializers: { key: stringSerializer, headerKey: stringSerializer, headerValue: stringSerializer },
  });
}

export function createConsumer(): Consumer<string, Buffer, string, string> {
  return new Consumer({
    clientId: `it-consumer-${randomUUID()}`,
    groupId: `it-group-${randomUUID()}`,
    bootstrapBrokers: bootstrap(),
    retries: 20,
    retryDelay: 250,
    deserializers: { key: stringDeserializer, headerKey: stringDeserializer, headerValue: stringDeserializer },
  });
}

/** Creates a topic that only this test uses and returns its name. */
export async function createTopic(admin: Admin, prefix: string, replicas: number): Promise<string> {
  const topic = `it-${prefix}-${randomUUID()}`;
  await admin.createTopics({ topics: [topic], partitions: 3, replicas, configs: [{ name: "min.insync.replicas", value: String(Math.min(2, replicas)) }] });
  return topic;
}

/** Reads `topic` from the beginning until `count` records arrived or `timeoutMs` passed. */
export async function consume(topic: string, count: number, timeoutMs: number): Promise<TestMessage[]> {
  const consumer = createConsumer();
  const received: TestMessage[] = [];
  try {
    const stream = await consumer.consume({ topics: [topic], mode: "earliest", autocommit: true, maxWaitTime: 500 });
    const timer = setTimeout(() => void stream.close(), timeoutMs);
    try {
      for await (const message of stream) {
        received.push(message);
        if (received.length >= count) break;
      }
    } finally {
      clearTimeout(timer);
      await stream.close();
    }
  } finally {
    await consumer.close();
  }
  return received;
}
