// Against the running stack (the observability suite starts the broker, Prometheus and Zipkin
// when they are not up): Prometheus is ready with every rules file loaded and scrapes itself,
// every broker's JMX exporter and Zipkin; the rules evaluate on the broker's real metrics;
// Zipkin stores a trace sent the way the services send theirs (infra/zipkin/README.md).
import { randomBytes } from "node:crypto";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import type { StackEnv } from "../../src/stack/component.js";
import { brokerMetricsTargets } from "../../src/stack/observability/jmx-exporter.js";
import { rulesDir, scrapedPort } from "../../src/stack/observability/prometheus-config.js";
import { createStackEnv } from "../../src/stack/stack-env.js";
import { readState } from "../../src/stack/state.js";
import { waitForValue } from "../../src/wait.js";
import { brokerPartitions, contractPartitionsPerBroker } from "./broker-partitions.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const stateDir = process.env.POLYGLOT_STATE_DIR ?? path.join(root, ".polyglot");

let env: StackEnv;
let prometheusUrl: string;
let zipkinUrl: string;

beforeAll(async () => {
  const state = await readState(stateDir);
  if (state === undefined) throw new Error(`no stack runs from ${stateDir}: run ./polyglot up first`);
  env = createStackEnv(state.brokers, { ...process.env, ...state.portVars });
  prometheusUrl = `http://127.0.0.1:${scrapedPort(env, "prometheus")}`;
  zipkinUrl = `http://127.0.0.1:${scrapedPort(env, "zipkin")}`;
});

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

interface Target {
  readonly labels: Record<string, string>;
  readonly health: "up" | "down" | "unknown";
  readonly lastError: string;
}

interface VectorSample {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}

async function query(expr: string): Promise<VectorSample[]> {
  const body = await getJson<{ data: { result: VectorSample[] } }>(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
  return body.data.result;
}

describe("Prometheus", () => {
  it("is ready and has loaded every rules file of infra/prometheus/rules", async () => {
    const ready = await fetch(`${prometheusUrl}/-/ready`);
    expect(ready.status).toBe(200);
    const body = await getJson<{ data: { groups: { name: string; file: string; rules: unknown[] }[] } }>(`${prometheusUrl}/api/v1/rules`);
    const loaded = [...new Set(body.data.groups.map((g) => path.basename(g.file)))].sort();
    const onDisk = (await readdir(rulesDir(root))).filter((f) => f.endsWith(".yml")).sort();
    expect(loaded).toEqual(onDisk);
    expect(body.data.groups.every((g) => g.rules.length > 0)).toBe(true);
  });

  it("scrapes itself, the JMX exporter of every broker and Zipkin, all up", async () => {
    const expected = [
      `prometheus 127.0.0.1:${scrapedPort(env, "prometheus")}`,
      ...brokerMetricsTargets(env).map((t) => `kafka ${t}`),
      `zipkin 127.0.0.1:${scrapedPort(env, "zipkin")}`,
    ];
    // A target is scraped every 5 s; a stack that just started needs one round.
    const notUp = (byKey: ReadonlyMap<string, Target>) => expected.filter((key) => byKey.get(key)?.health !== "up");
    const targets = await waitForValue(
      "every expected target up",
      async () => {
        const body = await getJson<{ data: { activeTargets: Target[] } }>(`${prometheusUrl}/api/v1/targets?state=active`);
        return new Map(body.data.activeTargets.map((t) => [`${t.labels.job} ${t.labels.instance}`, t]));
      },
      (byKey) => notUp(byKey).length === 0,
      { timeoutMs: 30_000, show: (byKey) => `not up: ${notUp(byKey).map((k) => `${k} (${byKey.get(k)?.lastError ?? "not a target"})`).join("; ")}` },
    );
    // The services' jobs are configured too, whether or not they run yet.
    const jobs = new Set([...targets.keys()].map((k) => k.split(" ")[0]));
    for (const job of ["user-service", "order-service", "notification-service", "analytics-service"]) expect(jobs).toContain(job);
  });

  it("reads the broker's metrics under the contract's names, and the rules evaluate on them", async () => {
    // Only this stack's brokers: Prometheus keeps the series of an earlier stack (say, 3 brokers) for a few minutes.
    const brokers = `instance=~"${brokerMetricsTargets(env).join("|").replaceAll(".", "\\\\.")}"`;
    // Waits for the count itself: a scrape made before `up` created the topics reads 0, and a
    // slow first start may still show that sample (broker-partitions.ts).
    const partitions = await brokerPartitions(query, brokers, env.brokers, 60_000);
    expect(partitions).toBeGreaterThanOrEqual(contractPartitionsPerBroker * env.brokers);

    // A recording rule over the dead-letter topics' end offsets: one series per .dlq topic.
    const dlqTopics = ["analytics-events.dlq", "notification-events.dlq", "order-events.dlq", "user-events.dlq"];
    // Other .dlq topics of the same broker (a test's own) have their series too: only the contract's are judged.
    const seriesTopics = await waitForValue(
      "topic:kafka_dlq_records:sum to have a series for each of the 4 dead-letter topics",
      async () => (await query("topic:kafka_dlq_records:sum")).map((s) => s.metric.topic ?? "").filter((t) => dlqTopics.includes(t)).sort(),
      (topics) => JSON.stringify(topics) === JSON.stringify(dlqTopics),
      { timeoutMs: 30_000 },
    );
    expect(seriesTopics).toEqual(dlqTopics);

    const active = await waitForValue(
      "one active controller among this stack's brokers",
      async () => (await query(`sum(kafka_controller_kafkacontroller_activecontrollercount{${brokers}})`)).map((s) => Number(s.value[1])),
      (values) => values.length === 1 && values[0] === 1,
      { timeoutMs: 30_000 },
    );
    expect(active).toEqual([1]);
  }, 150_000);
});

describe("Zipkin", () => {
  it("is healthy", async () => {
    const health = await getJson<{ status: string }>(`${zipkinUrl}/health`);
    expect(health.status).toBe("UP");
  });

  it("serves its UI at /zipkin/", async () => {
    const response = await fetch(`${zipkinUrl}/zipkin/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(await response.text()).toContain("<title>Zipkin</title>");
  });

  it("stores spans posted to /api/v2/spans and returns them as one trace, parent first", async () => {
    const traceId = randomBytes(16).toString("hex");
    const parentId = randomBytes(8).toString("hex");
    const childId = randomBytes(8).toString("hex");
    const now = Date.now() * 1000;
    const spans = [
      { traceId, id: parentId, name: "post /api/users/signup", kind: "SERVER", timestamp: now, duration: 12_000, localEndpoint: { serviceName: "observability-test-http" }, tags: { "http.method": "POST" } },
      { traceId, parentId, id: childId, name: "user-events publish", kind: "PRODUCER", timestamp: now + 2_000, duration: 5_000, localEndpoint: { serviceName: "observability-test-kafka" }, remoteEndpoint: { serviceName: "kafka" } },
    ];
    const post = await fetch(`${zipkinUrl}/api/v2/spans`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(spans) });
    expect(post.status).toBe(202);

    // Zipkin stores what it accepted asynchronously: poll until the trace is complete.
    type Span = { id: string; parentId?: string; localEndpoint: { serviceName: string } };
    const trace = await waitForValue(
      "the trace to come back with both spans",
      async () => {
        const response = await fetch(`${zipkinUrl}/api/v2/trace/${traceId}`);
        return response.status === 404 ? [] : ((await response.json()) as Span[]);
      },
      (spans) => spans.length === 2,
      { timeoutMs: 20_000, show: (spans) => `${spans.length} spans` },
    );
    const child = trace.find((s) => s.id === childId);
    expect(child?.parentId).toBe(parentId);
    expect(child?.localEndpoint.serviceName).toBe("observability-test-kafka");
    // The service-name index is a second view of what was stored: waited for in its own right.
    const names = ["observability-test-http", "observability-test-kafka"];
    const services = await waitForValue(
      "the service-name index to list both services",
      async () => await getJson<string[]>(`${zipkinUrl}/api/v2/services`),
      (listed) => names.every((n) => listed.includes(n)),
      { timeoutMs: 20_000 },
    );
    expect(services).toEqual(expect.arrayContaining(names));
  });
});
