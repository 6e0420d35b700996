// Renders infra/kafka/server.properties.template for one broker.
import { StackError } from "../stack-error.js";

export interface BrokerConfig {
  readonly nodeId: number;
  readonly port: number;
  readonly controllerPort: number;
  /** `1@127.0.0.1:9093,...`: every controller of the cluster (a static quorum). */
  readonly voters: string;
  readonly logDir: string;
  readonly replicationFactor: number;
  readonly minInsyncReplicas: number;
}

/** Replaces each `${name}` of the template; a placeholder without a value is a bug in the template. */
export function renderTemplate(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\$\{([a-z.]+)\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) {
      throw new StackError(`server.properties.template uses \${${key}}, which the CLI does not fill in`, "fix infra/kafka/server.properties.template");
    }
    return String(value);
  });
}

export function renderServerProperties(template: string, config: BrokerConfig): string {
  return renderTemplate(template, {
    "node.id": config.nodeId,
    "controller.quorum.voters": config.voters,
    port: config.port,
    "controller.port": config.controllerPort,
    "log.dirs": config.logDir,
    "replication.factor": config.replicationFactor,
    "min.insync.replicas": config.minInsyncReplicas,
  });
}
