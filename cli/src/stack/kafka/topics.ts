// The contract's topics, created idempotently through the admin API: every event topic and
// its dead-letter topic, 3 partitions each, replicated to every broker of the stack.
import { Admin, ConfigResourceTypes, IncrementalAlterConfigOperationTypes } from "@platformatic/kafka";
import { StackError } from "../stack-error.js";

export const eventTopics = ["user-events", "order-events", "notification-events", "analytics-events"] as const;

/** Every topic `up` creates: the four event topics and their `.dlq` topics. */
export const contractTopics: readonly string[] = eventTopics.flatMap((t) => [t, `${t}.dlq`]);

export const topicPartitions = 3;

/**
 * The largest record batch a contract topic takes: 2 MiB. Kafka's default (1 MiB + 12 bytes)
 * refuses a 1 MiB value once key, headers and batch overhead are added, and the fault tests send
 * one (`./polyglot chaos poison`); the `.dlq` copy adds its `dlq.*` headers on top. A producer
 * that forwards such a record to the DLQ needs a request limit above 1 MiB too.
 */
export const topicMaxMessageBytes = 2 * 1024 * 1024;

export interface EnsureTopicsOptions {
  readonly bootstrap: string;
  readonly replicas: number;
  readonly minInsyncReplicas: number;
  /** How long to wait for every partition to have a leader. */
  readonly timeoutMs?: number;
}

export function createAdmin(bootstrap: string, clientId = "polyglot-cli"): Admin {
  return new Admin({ clientId, bootstrapBrokers: bootstrap.split(","), timeout: 5_000, retries: 2, retryDelay: 250 });
}

/** Creates the contract topics that are missing, then waits until each partition has a leader. Returns the names it created. */
export async function ensureTopics(options: EnsureTopicsOptions): Promise<string[]> {
  const admin = createAdmin(options.bootstrap);
  try {
    const existing = new Set(await admin.listTopics());
    const missing = contractTopics.filter((t) => !existing.has(t));
    if (missing.length > 0) {
      await admin.createTopics({
        topics: missing,
        partitions: topicPartitions,
        replicas: options.replicas,
        configs: [
          { name: "min.insync.replicas", value: String(options.minInsyncReplicas) },
          { name: "max.message.bytes", value: String(topicMaxMessageBytes) },
        ],
      });
    }
    await waitForLeaders(admin, options.timeoutMs ?? 30_000);
    // Topics made by an earlier version of this code get the limit too (setting it again changes nothing).
    await admin.incrementalAlterConfigs({
      resources: contractTopics.map((name) => ({
        resourceType: ConfigResourceTypes.TOPIC,
        resourceName: name,
        configs: [{ name: "max.message.bytes", configOperation: IncrementalAlterConfigOperationTypes.SET, value: String(topicMaxMessageBytes) }],
      })),
    });
    return missing;
  } finally {
    await admin.close();
  }
}

async function waitForLeaders(admin: Admin, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let leaderless: string[] = [];
  while (Date.now() < deadline) {
    const metadata = await admin.metadata({ topics: [...contractTopics], forceUpdate: true });
    leaderless = contractTopics.filter((t) => {
      const topic = metadata.topics.get(t);
      return topic === undefined || topic.partitions.length < topicPartitions || topic.partitions.some((p) => p.leader < 0);
    });
    if (leaderless.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new StackError(`topics without a leader after ${timeoutMs / 1000} s: ${leaderless.join(", ")}`, "read ./polyglot logs kafka, then run ./polyglot down && ./polyglot up");
}
