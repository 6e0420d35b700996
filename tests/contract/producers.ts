// Who writes each event topic (CONTRACT.md, "Topics"): the producer side of every pair.
import type { ConsumerContract } from "./consumer-contract.js";

export interface Producer {
  readonly service: string;
  readonly language: ConsumerContract["language"];
  /** The full protobuf names of the messages it writes on its topic. */
  readonly types: readonly string[];
}

const events = (...names: string[]): string[] => names.map((n) => `polyglot.events.v1.${n}`);

export const producers: Readonly<Record<string, Producer>> = {
  "user-events": { service: "user-service", language: "Java", types: events("UserSignupEvent", "UserUpdatedEvent") },
  "order-events": {
    service: "order-service",
    language: "Go",
    types: events("OrderCreatedEvent", "PaymentProcessedEvent", "OrderShippedEvent", "OrderCancelledEvent"),
  },
  "notification-events": { service: "notification-service", language: "Python", types: events("EmailSentEvent", "SMSSentEvent") },
};

export function producerOf(topic: string): Producer {
  const producer = producers[topic];
  if (producer === undefined) throw new Error(`no service of the contract writes ${topic}`);
  return producer;
}

/** One producer -> consumer pair: a topic one service writes and another reads. */
export interface Pair {
  readonly topic: string;
  readonly producer: Producer;
  readonly consumer: ConsumerContract;
  /** "Java -> TypeScript: user-events, user-service -> analytics-service" */
  readonly title: string;
}

export function pairsOf(consumers: readonly ConsumerContract[]): Pair[] {
  return consumers.flatMap((consumer) =>
    consumer.topics.map((topic) => {
      const producer = producerOf(topic);
      return {
        topic,
        producer,
        consumer,
        title: `${producer.language} -> ${consumer.language}: ${topic}, ${producer.service} -> ${consumer.service}`,
      };
    }),
  );
}
