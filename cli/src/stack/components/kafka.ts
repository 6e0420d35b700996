// The Apache Kafka broker(s): plain `java kafka.Kafka server.properties` processes in KRaft
// combined mode (each node is broker and controller). One node by default; three with
// `up --brokers 3`, named kafka, kafka-2 and kafka-3, replication factor 3 and min ISR 2.
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Component, StackContext, StackEnv } from "../component.js";
import { aotCache, aotDir, aotFlags, aotJava } from "../jvm/aot-cache.js";
import { resolveClasspath } from "../kafka/classpath.js";
import { renderServerProperties } from "../kafka/server-config.js";
import { brokerFiles, clusterId, formatStorage, javaCommand } from "../kafka/storage.js";
import { contractTopics, createAdmin, ensureTopics } from "../kafka/topics.js";
import { brokerMetricsPort, jmxExporterFlag, prepareJmxExporter } from "../observability/jmx-exporter.js";
import { brokerPorts } from "../stack-env.js";
import { freePorts } from "../test-stack.js";

/**
 * JVM flags of one broker on a 2-core machine. The broker keeps records in the page cache, not
 * the heap: a development load lives in well under 128 MiB of heap, and 1 GiB is headroom.
 * The serial collector on a small young generation keeps idle RSS low (G1 with -Xms512m held
 * about 380 MB) and costs no GC threads; its pauses on a heap this small are a few ms.
 */
const jvmFlags = ["-Xms128m", "-Xmx1g", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true"] as const;

function minInsyncReplicas(brokers: number): number {
  return brokers === 1 ? 1 : 2;
}

/** True when a metadata request to 127.0.0.1:`port` answers and lists at least `brokers` brokers. */
async function metadataAnswers(port: number, brokers: number): Promise<boolean> {
  const admin = createAdmin(`127.0.0.1:${port}`, "polyglot-health");
  try {
    const metadata = await admin.metadata({ topics: [], forceUpdate: true, retries: 0 });
    return metadata.brokers.size >= brokers;
  } catch {
    return false;
  } finally {
    await admin.close().catch(() => undefined);
  }
}

/** One line per contract topic: partitions, replicas and how many replicas are in sync. */
async function describeTopics(bootstrap: string): Promise<string[]> {
  const admin = createAdmin(bootstrap, "polyglot-status");
  try {
    const metadata = await admin.metadata({ topics: [...contractTopics], forceUpdate: true });
    return contractTopics.map((name) => {
      const topic = metadata.topics.get(name);
      if (topic === undefined) return `${name}: missing (./polyglot down && ./polyglot up creates it)`;
      const replicas = Math.max(...topic.partitions.map((p) => p.replicas.length));
      const inSync = Math.min(...topic.partitions.map((p) => p.isr.length));
      return `${name}: ${topic.partitions.length} partitions, ${replicas} replica${replicas === 1 ? "" : "s"}, in sync ${inSync}/${replicas}`;
    });
  } finally {
    await admin.close().catch(() => undefined);
  }
}

function broker(env: StackEnv, index: number): Component {
  const spec = brokerPorts[index];
  if (spec === undefined) throw new Error(`no broker #${index + 1}`);
  const port = (e: StackEnv): number => e.port(spec.portVar, spec.port);
  const controllerPort = (e: StackEnv): number => e.port(spec.controllerVar, spec.controllerPort);
  const first = index === 0;
  const log4jConfig = (ctx: StackContext): string => path.join(ctx.root, "infra", "kafka", "log4j2.xml");
  const toolsLog4jConfig = (ctx: StackContext): string => path.join(ctx.root, "infra", "kafka", "log4j2-tools.xml");
  let classpath: string | undefined;
  let metricsAgent: string | undefined;
  let launch: { readonly java: string; readonly flags: readonly string[] } | undefined;

  return {
    name: spec.name,
    summary: env.brokers === 1 ? "Apache Kafka 4.4 broker (KRaft)" : `Apache Kafka 4.4 broker ${spec.node} of ${env.brokers} (KRaft)`,
    dependsOn: [],
    ports: (e) => [port(e), controllerPort(e), brokerMetricsPort(e, index)],
    url: (e) => `127.0.0.1:${port(e)}`,
    startTimeoutMs: 90_000,
    // Controlled shutdown moves leadership away first; on 3 brokers the last one waits for a quorum that is gone.
    stopTimeoutMs: 30_000,

    async prepare(ctx) {
      [classpath, metricsAgent] = await Promise.all([resolveClasspath(ctx), prepareJmxExporter(ctx)]);
      const files = brokerFiles(ctx.stateDir, ctx.env.brokers, spec.name);
      await mkdir(files.data, { recursive: true });
      const voters = brokerPorts
        .slice(0, ctx.env.brokers)
        .map((b) => `${b.node}@127.0.0.1:${ctx.env.port(b.controllerVar, b.controllerPort)}`)
        .join(",");
      const template = await readFile(path.join(ctx.root, "infra", "kafka", "server.properties.template"), "utf8");
      const properties = renderServerProperties(template, {
        nodeId: spec.node,
        port: port(ctx.env),
        controllerPort: controllerPort(ctx.env),
        voters,
        logDir: files.data,
        replicationFactor: ctx.env.brokers,
        minInsyncReplicas: minInsyncReplicas(ctx.env.brokers),
      });
      await writeFile(files.properties, properties);
      await formatStorage(ctx, files, classpath, await clusterId(ctx.stateDir, ctx.env.brokers), toolsLog4jConfig(ctx));
      launch = await chooseLaunch(ctx, classpath, metricsAgent, template, log4jConfig(ctx), toolsLog4jConfig(ctx));
    },

    process(ctx) {
      if (classpath === undefined || metricsAgent === undefined) throw new Error(`${spec.name}: process() called before prepare()`);
      const files = brokerFiles(ctx.stateDir, ctx.env.brokers, spec.name);
      return {
        command: launch?.java ?? javaCommand(ctx.env.vars),
        args: [
          ...(launch?.flags ?? []),
          ...jvmFlags,
          `-Dlog4j2.configurationFile=${log4jConfig(ctx)}`,
          // Prometheus scrapes the broker through this agent (infra/prometheus/jmx-exporter/).
          jmxExporterFlag(ctx, metricsAgent, index),
          "-cp",
          classpath,
          "kafka.Kafka",
          files.properties,
        ],
        cwd: files.dir,
        env: {},
      };
    },

    // Broker 1 (`kafka`, what services depend on) is healthy only when every broker is in the metadata.
    healthy: (ctx) => metadataAnswers(port(ctx.env), first ? ctx.env.brokers : 1),

    ...(first
      ? {
          async ready(ctx: StackContext) {
            ctx.progress.update("creating the contract's topics");
            const created = await ensureTopics({
              bootstrap: ctx.env.KAFKA_BOOTSTRAP_SERVERS,
              replicas: ctx.env.brokers,
              minInsyncReplicas: minInsyncReplicas(ctx.env.brokers),
            });
            ctx.progress.update(created.length === 0 ? "topics already there" : `created ${created.join(", ")}`);
          },
          describe: (ctx: StackContext) => describeTopics(ctx.env.KAFKA_BOOTSTRAP_SERVERS),
        }
      : {}),
  };
}

/** The broker components of a stack with `env.brokers` brokers. */
export function kafkaComponents(env: StackEnv): readonly Component[] {
  return Array.from({ length: env.brokers }, (_, i) => broker(env, i));
}

/**
 * JDK 25 and an AOT cache when both can be had (see jvm/aot-cache.ts), else JAVA_HOME's JDK. The
 * training run is a throw-away single broker on free ports under .polyglot/aot/, stopped once it
 * answers a metadata request.
 */
async function chooseLaunch(
  ctx: StackContext,
  classpath: string,
  metricsAgent: string,
  template: string,
  log4jConfig: string,
  toolsLog4jConfig: string,
): Promise<{ readonly java: string; readonly flags: readonly string[] }> {
  const fallback = { java: javaCommand(ctx.env.vars), flags: [] };
  const java = await aotJava(ctx.env.vars);
  if (java === undefined) return fallback;
  const dir = path.join(aotDir(ctx), `kafka-training-${process.pid}`);
  const files = { dir, properties: path.join(dir, "server.properties"), data: path.join(dir, "data") };
  let port = 0;
  const cache = await aotCache(
    ctx,
    {
      name: "kafka",
      java,
      inputs: [...classpath.split(path.delimiter), metricsAgent],
      async process(output) {
        const [brokerPort = 0, controllerPort = 0, metricsPort = 0] = await freePorts(3);
        port = brokerPort;
        await rm(dir, { recursive: true, force: true });
        await mkdir(files.data, { recursive: true });
        const properties = renderServerProperties(template, {
          nodeId: 1,
          port: brokerPort,
          controllerPort,
          voters: `1@127.0.0.1:${controllerPort}`,
          logDir: files.data,
          replicationFactor: 1,
          minInsyncReplicas: 1,
        });
        await writeFile(files.properties, properties);
        await formatStorage(ctx, files, classpath, randomBytes(16).toString("base64url"), toolsLog4jConfig);
        const agentConfig = path.join(ctx.root, "infra", "prometheus", "jmx-exporter", "kafka.yaml");
        return {
          command: java,
          args: [`-XX:AOTCacheOutput=${output}`, ...jvmFlags, `-Dlog4j2.configurationFile=${log4jConfig}`, `-javaagent:${metricsAgent}=127.0.0.1:${metricsPort}:${agentConfig}`, "-cp", classpath, "kafka.Kafka", files.properties],
          cwd: dir,
          env: {},
        };
      },
      exercised: () => metadataAnswers(port, 1),
    },
    jvmFlags,
  );
  await rm(dir, { recursive: true, force: true });
  return cache === undefined ? fallback : { java, flags: aotFlags(cache) };
}
