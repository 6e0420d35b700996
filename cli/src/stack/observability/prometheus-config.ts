// Renders infra/prometheus/prometheus.yml.template with the stack's ports: one scrape job per
// service, the brokers' JMX exporter, Zipkin and Prometheus itself.
import path from "node:path";
import type { StackEnv } from "../component.js";
import { StackError } from "../stack-error.js";
import { brokerMetricsTargets } from "./jmx-exporter.js";

/** The port variable and contract default of each component that Prometheus scrapes. */
export const scrapedPorts = {
  prometheus: { variable: "PROMETHEUS_PORT", port: 9090 },
  "user-service": { variable: "USER_SERVICE_PORT", port: 8080 },
  "order-service": { variable: "ORDER_SERVICE_PORT", port: 8081 },
  "notification-service": { variable: "NOTIFICATION_SERVICE_PORT", port: 8000 },
  "analytics-service": { variable: "ANALYTICS_SERVICE_PORT", port: 3000 },
  zipkin: { variable: "ZIPKIN_PORT", port: 9411 },
} as const;

export type ScrapedComponent = keyof typeof scrapedPorts;

export function scrapedPort(env: StackEnv, component: ScrapedComponent): number {
  const { variable, port } = scrapedPorts[component];
  return env.port(variable, port);
}

export function templatePath(root: string): string {
  return path.join(root, "infra", "prometheus", "prometheus.yml.template");
}

export function rulesDir(root: string): string {
  return path.join(root, "infra", "prometheus", "rules");
}

/** The values of the template's placeholders for a stack with `env`'s ports and broker count. */
export function prometheusValues(root: string, env: StackEnv): Record<string, string> {
  const values: Record<string, string> = {
    "rules.dir": rulesDir(root),
    "kafka.targets": brokerMetricsTargets(env)
      .map((t) => `"${t}"`)
      .join(", "),
  };
  for (const component of Object.keys(scrapedPorts) as ScrapedComponent[]) {
    values[`${component}.target`] = `127.0.0.1:${scrapedPort(env, component)}`;
  }
  return values;
}

/** Replaces each `${name}`; a placeholder without a value is a bug in the template. */
export function renderPrometheusConfig(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\$\{([a-z.-]+)\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) {
      throw new StackError(`prometheus.yml.template uses \${${key}}, which the CLI does not fill in`, "fix infra/prometheus/prometheus.yml.template");
    }
    return value;
  });
}
