// Where the stack under test listens: the contract's ports, overridable by the same variables
// that `./polyglot up` reads.
import type { DemoUrls } from "../../cli/src/demo/flow.js";

function port(variable: string, fallback: number): number {
  const value = process.env[variable];
  return value === undefined || value === "" ? fallback : Number(value);
}

export function stackUrls(): DemoUrls & { bootstrap: string[] } {
  return {
    user: `http://127.0.0.1:${port("USER_SERVICE_PORT", 8080)}`,
    order: `http://127.0.0.1:${port("ORDER_SERVICE_PORT", 8081)}`,
    notification: `http://127.0.0.1:${port("NOTIFICATION_SERVICE_PORT", 8000)}`,
    analytics: `http://127.0.0.1:${port("ANALYTICS_SERVICE_PORT", 3000)}`,
    bootstrap: (process.env.KAFKA_BOOTSTRAP_SERVERS ?? "127.0.0.1:9092").split(","),
  };
}
