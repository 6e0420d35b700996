// Builds the StackEnv of one `up`: the broker count and the ports, each from its environment
// variable or the contract's default.
import type { StackEnv } from "./component.js";
import { StackError } from "./stack-error.js";

/** The contract's broker ports: client port and controller port of broker 1, 2 and 3. */
export const brokerPorts = [
  { node: 1, name: "kafka", portVar: "KAFKA_PORT", port: 9092, controllerVar: "KAFKA_CONTROLLER_PORT", controllerPort: 9093 },
  { node: 2, name: "kafka-2", portVar: "KAFKA_2_PORT", port: 9094, controllerVar: "KAFKA_2_CONTROLLER_PORT", controllerPort: 9095 },
  { node: 3, name: "kafka-3", portVar: "KAFKA_3_PORT", port: 9096, controllerVar: "KAFKA_3_CONTROLLER_PORT", controllerPort: 9097 },
] as const;

export type BrokerCount = StackEnv["brokers"];

export function parseBrokerCount(value: string | undefined): BrokerCount | undefined {
  if (value === undefined) return undefined;
  if (value === "1") return 1;
  if (value === "3") return 3;
  return undefined;
}

export function parsePort(variable: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === "") return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new StackError(`${variable}=${value} is not a port number`, `set ${variable} to a number between 1 and 65535, or unset it to use ${fallback}`);
  }
  return port;
}

export function createStackEnv(brokers: BrokerCount, vars: Readonly<Record<string, string | undefined>>): StackEnv {
  const frozenVars = Object.freeze({ ...vars });
  const port = (variable: string, fallback: number): number => parsePort(variable, frozenVars[variable], fallback);
  const bootstrap = brokerPorts
    .slice(0, brokers)
    .map((b) => `127.0.0.1:${port(b.portVar, b.port)}`)
    .join(",");
  return Object.freeze({ brokers, KAFKA_BOOTSTRAP_SERVERS: bootstrap, port, vars: frozenVars });
}
