// Prometheus from Debian's package, run as a plain process (not the package's system service)
// with the configuration rendered from infra/prometheus/ and its data under .polyglot/. It
// depends on nothing: a target that is not up yet shows as down until it is.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Component, StackContext } from "../component.js";
import { httpOk } from "../probes.js";
import { prometheusValues, renderPrometheusConfig, scrapedPort, templatePath } from "../observability/prometheus-config.js";
import { ensurePrometheus, prometheusBinary, promtoolBinary } from "../observability/prometheus-install.js";

export function prometheusConfigFile(stateDir: string): string {
  return path.join(stateDir, "prometheus", "prometheus.yml");
}

export const prometheus: Component = {
  name: "prometheus",
  summary: "Prometheus (Debian's package): scrapes the services and the brokers",
  dependsOn: [],
  ports: (env) => [scrapedPort(env, "prometheus")],
  url: (env) => `http://127.0.0.1:${scrapedPort(env, "prometheus")}`,

  async prepare(ctx) {
    await ensurePrometheus(ctx);
    const file = prometheusConfigFile(ctx.stateDir);
    await mkdir(path.dirname(file), { recursive: true });
    const template = await readFile(templatePath(ctx.root), "utf8");
    await writeFile(file, renderPrometheusConfig(template, prometheusValues(ctx.root, ctx.env)));
    // A broken rule or config fails here, with promtool's message, instead of in Prometheus' log.
    ctx.progress.update("promtool check config");
    await ctx.exec({
      command: promtoolBinary,
      args: ["check", "config", file],
      cwd: ctx.root,
      hint: "fix infra/prometheus/prometheus.yml.template or the rules in infra/prometheus/rules/ (./polyglot test --suite observability runs the same checks)",
    });
  },

  process(ctx: StackContext) {
    const port = scrapedPort(ctx.env, "prometheus");
    return {
      command: prometheusBinary,
      args: [
        `--config.file=${prometheusConfigFile(ctx.stateDir)}`,
        `--storage.tsdb.path=${ctx.dataDir("prometheus")}`,
        // A development stack: a day of history is plenty, and the disk stays bounded.
        "--storage.tsdb.retention.time=1d",
        "--storage.tsdb.retention.size=512MB",
        `--web.listen-address=127.0.0.1:${port}`,
        `--web.external-url=http://127.0.0.1:${port}/`,
        "--log.format=json",
      ],
      cwd: ctx.dataDir("prometheus"),
      env: {},
    };
  },

  healthy: (ctx) => httpOk(`http://127.0.0.1:${scrapedPort(ctx.env, "prometheus")}/-/ready`),
  // The TSDB head is written out on SIGTERM; on a day of data that takes a few seconds.
  stopTimeoutMs: 20_000,
};
