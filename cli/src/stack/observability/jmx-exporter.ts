// The Prometheus JMX exporter, run as a Java agent inside every broker: it serves the broker's
// JMX metrics (and the JVM's) over HTTP for Prometheus, filtered and renamed by
// infra/prometheus/jmx-exporter/kafka.yaml. The broker component calls the two functions below.
import path from "node:path";
import type { StackContext, StackEnv } from "../component.js";
import { brokerPorts } from "../stack-env.js";
import { mavenJar } from "./maven-jar.js";

/**
 * Each broker's metrics port: `<BROKER>_METRICS_PORT` (KAFKA_METRICS_PORT, KAFKA_2_METRICS_PORT,
 * ...) or its client port + 312, i.e. 9404, 9406, 9408 by default. Following the client port
 * keeps a cluster that was moved with KAFKA_*_PORT (the test cluster on 19092...) clear of the
 * user's stack.
 */
export function brokerMetricsPort(env: StackEnv, index: number): number {
  const spec = brokerPorts[index];
  if (spec === undefined) throw new Error(`no broker #${index + 1}`);
  const metricsVar = spec.portVar.replace(/_PORT$/, "_METRICS_PORT");
  return env.port(metricsVar, env.port(spec.portVar, spec.port) + 312);
}

/** `127.0.0.1:<metrics port>` of every broker of the stack, for Prometheus' `kafka` job. */
export function brokerMetricsTargets(env: StackEnv): string[] {
  return Array.from({ length: env.brokers }, (_, i) => `127.0.0.1:${brokerMetricsPort(env, i)}`);
}

/** Fetches the agent jar (once for all brokers); call it from the broker's `prepare`. */
export function prepareJmxExporter(ctx: StackContext): Promise<string> {
  return mavenJar(ctx, {
    name: "jmx-exporter",
    pom: path.join("infra", "prometheus", "jmx-exporter", "pom.xml"),
    file: "jmx_prometheus_javaagent.jar",
    what: "the Prometheus JMX exporter agent (3 MB)",
  });
}

/** The JVM flag that loads the agent into broker `index`, listening on loopback only. */
export function jmxExporterFlag(ctx: StackContext, agentJar: string, index: number): string {
  const config = path.join(ctx.root, "infra", "prometheus", "jmx-exporter", "kafka.yaml");
  return `-javaagent:${agentJar}=127.0.0.1:${brokerMetricsPort(ctx.env, index)}:${config}`;
}
