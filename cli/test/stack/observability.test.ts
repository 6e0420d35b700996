import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { ExecStep, StackContext } from "../../src/stack/component.js";
import { zipkinSpansUrl } from "../../src/stack/components/zipkin.js";
import { brokerMetricsPort, brokerMetricsTargets, jmxExporterFlag } from "../../src/stack/observability/jmx-exporter.js";
import { mavenJar } from "../../src/stack/observability/maven-jar.js";
import { prometheusValues, renderPrometheusConfig } from "../../src/stack/observability/prometheus-config.js";
import { createStackEnv } from "../../src/stack/stack-env.js";
import { StackError } from "../../src/stack/stack-error.js";

describe("the brokers' metrics ports", () => {
  test("9404, 9406 and 9408 by default: each broker's client port + 312", () => {
    expect(brokerMetricsTargets(createStackEnv(3, {}))).toEqual(["127.0.0.1:9404", "127.0.0.1:9406", "127.0.0.1:9408"]);
  });

  test("follow a broker moved with its port variable, so a throw-away cluster stays clear of the user's stack", () => {
    const env = createStackEnv(3, { KAFKA_PORT: "19092", KAFKA_2_PORT: "19094", KAFKA_3_PORT: "19096" });
    expect(brokerMetricsTargets(env)).toEqual(["127.0.0.1:19404", "127.0.0.1:19406", "127.0.0.1:19408"]);
  });

  test("an explicit <BROKER>_METRICS_PORT wins", () => {
    const env = createStackEnv(3, { KAFKA_2_METRICS_PORT: "7071" });
    expect(brokerMetricsPort(env, 1)).toBe(7071);
    expect(brokerMetricsPort(env, 0)).toBe(9404);
  });

  test("the agent listens on loopback with the exporter configuration of the repository", () => {
    const ctx = { root: "/repo", env: createStackEnv(1, {}) } as StackContext;
    expect(jmxExporterFlag(ctx, "/state/tools/jmx-exporter/agent.jar", 0)).toBe(
      "-javaagent:/state/tools/jmx-exporter/agent.jar=127.0.0.1:9404:/repo/infra/prometheus/jmx-exporter/kafka.yaml",
    );
  });
});

describe("Prometheus' configuration", () => {
  const template = 'a: ["${order-service.target}"]\nb: [${kafka.targets}]\nc: ${rules.dir}/*.yml\nd: ${zipkin.target}\n';

  test("scrapes every component on the port the stack gave it", () => {
    const env = createStackEnv(3, { ORDER_SERVICE_PORT: "18081", ZIPKIN_PORT: "19411" });
    expect(renderPrometheusConfig(template, prometheusValues("/repo", env))).toBe(
      'a: ["127.0.0.1:18081"]\nb: ["127.0.0.1:9404", "127.0.0.1:9406", "127.0.0.1:9408"]\nc: /repo/infra/prometheus/rules/*.yml\nd: 127.0.0.1:19411\n',
    );
  });

  test("a placeholder the CLI does not know is an error, not an empty value", () => {
    expect(() => renderPrometheusConfig("x: ${grafana.target}", prometheusValues("/repo", createStackEnv(1, {})))).toThrow(StackError);
  });

  test("services post spans to Zipkin's port", () => {
    expect(zipkinSpansUrl(createStackEnv(1, { ZIPKIN_PORT: "19411" }))).toBe("http://127.0.0.1:19411/api/v2/spans");
  });
});

describe("a jar from Maven Central", () => {
  let dir: string;
  let runs: ExecStep[];
  let ctx: StackContext;
  const jar = { name: "tool", pom: "pom.xml", file: "tool.jar", what: "a tool" };

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "polyglot-maven-jar-"));
    await writeFile(path.join(dir, "pom.xml"), "<project>1</project>");
    runs = [];
    // Stands in for `mvn dependency:copy`: writes the jar where -DoutputDirectory points.
    const exec = async (step: ExecStep): Promise<void> => {
      runs.push(step);
      const out = step.args.find((a) => a.startsWith("-DoutputDirectory="))?.split("=")[1] ?? "";
      await mkdir(out, { recursive: true });
      await writeFile(path.join(out, "tool.jar"), "jar");
    };
    ctx = { root: dir, stateDir: path.join(dir, "state"), progress: { update() {} }, exec } as unknown as StackContext;
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test("is copied once, then reused while its pom is unchanged", async () => {
    const first = await mavenJar(ctx, jar);
    expect(first).toBe(path.join(dir, ".polyglot", "tools", "tool", "tool.jar"));
    expect(runs.map((r) => [r.command, r.args[3]])).toEqual([["mvn", "dependency:copy"]]);
    expect(await mavenJar(ctx, jar)).toBe(first);
    expect(runs).toHaveLength(1);
  });

  test("is shared by the stacks of other state dirs (the test suites' throw-away stacks)", async () => {
    const first = await mavenJar(ctx, jar);
    const other = { ...ctx, stateDir: path.join(dir, "state", "test", "stack") } as StackContext;
    expect(await mavenJar(other, jar)).toBe(first);
    expect(runs).toHaveLength(1);
  });

  test("is copied again when its pom changes (a new version)", async () => {
    await mavenJar(ctx, jar);
    await writeFile(path.join(dir, "pom.xml"), "<project>2</project>");
    await mavenJar(ctx, jar);
    expect(runs).toHaveLength(2);
  });

  test("brokers prepared side by side share one Maven run", async () => {
    await Promise.all([mavenJar(ctx, jar), mavenJar(ctx, jar), mavenJar(ctx, jar)]);
    expect(runs).toHaveLength(1);
  });
});
