// promtool on what Prometheus runs with: the rendered configuration (1 and 3 brokers), every
// rules file, and the rule unit tests in infra/prometheus/tests/. No stack needed.
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { brokerMetricsTargets } from "../../src/stack/observability/jmx-exporter.js";
import { prometheusValues, renderPrometheusConfig, rulesDir, templatePath } from "../../src/stack/observability/prometheus-config.js";
import { promtoolBinary } from "../../src/stack/observability/prometheus-install.js";
import { createStackEnv } from "../../src/stack/stack-env.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const prometheusDir = path.join(root, "infra", "prometheus");
const testsDir = path.join(prometheusDir, "tests");

const ruleFiles = (await readdir(rulesDir(root))).filter((f) => f.endsWith(".yml")).sort();
const ruleTests = (await readdir(testsDir)).filter((f) => f.endsWith(".test.yml")).sort();

async function promtool(args: readonly string[], cwd = root): Promise<{ exitCode: number; output: string }> {
  const result = await execa(promtoolBinary, [...args], { cwd, all: true, reject: false });
  return { exitCode: result.exitCode ?? 1, output: result.all };
}

describe("promtool check config", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "polyglot-prometheus-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each([1, 3] as const)("accepts the configuration rendered for %i broker(s), with every rules file", async (brokers) => {
    const env = createStackEnv(brokers, {});
    const config = renderPrometheusConfig(await readFile(templatePath(root), "utf8"), prometheusValues(root, env));
    const file = path.join(dir, `prometheus-${brokers}.yml`);
    await writeFile(file, config);
    const { exitCode, output } = await promtool(["check", "config", file]);
    expect(output).toContain(`${ruleFiles.length} rule files found`);
    expect(exitCode, output).toBe(0);
    const kafkaTargets = brokerMetricsTargets(env).map((t) => `"${t}"`);
    expect(kafkaTargets).toHaveLength(brokers);
    expect(config).toContain(`job_name: kafka\n    static_configs:\n      - targets: [${kafkaTargets.join(", ")}]\n`);
  });
});

describe("promtool check rules", () => {
  it.each(ruleFiles)("%s", async (file) => {
    const { exitCode, output } = await promtool(["check", "rules", path.join(rulesDir(root), file)]);
    expect(exitCode, output).toBe(0);
  });
});

describe("promtool test rules", () => {
  it("every rules file has a unit test file", () => {
    expect(ruleTests.map((f) => f.replace(/\.test\.yml$/, ".yml"))).toEqual(ruleFiles);
  });

  it.each(ruleTests)("%s", async (file) => {
    const { exitCode, output } = await promtool(["test", "rules", file], testsDir);
    expect(exitCode, output).toBe(0);
  });
});

describe("the metrics contract", () => {
  it("infra/prometheus/README.md names every metric that the rules read", async () => {
    const readme = await readFile(path.join(prometheusDir, "README.md"), "utf8");
    const used = new Set<string>();
    for (const file of ruleFiles) {
      const text = await readFile(path.join(rulesDir(root), file), "utf8");
      for (const [, name] of text.matchAll(/(?<![:\w])((?:polyglot|http_server|kafka)_[a-z_]+?)(?:_bucket|_count|_sum)?(?![:\w])/g)) {
        if (name !== undefined) used.add(name);
      }
    }
    const missing = [...used].filter((name) => !readme.includes(`\`${name}`));
    expect(used.size).toBeGreaterThan(10);
    expect(missing).toEqual([]);
  });
});
