// What a load run talks to: the running stack's URLs, bootstrap servers and process groups, from
// the state `up` left. A stack that is not up is a usage error (exit 2) that says what to do.
import type { Context } from "../context.js";
import { demoUrls } from "../demo/urls.js";
import { brokerMetricsPort } from "../stack/observability/jmx-exporter.js";
import { aliveComponents } from "../stack/start.js";
import { createStackEnv } from "../stack/stack-env.js";
import { readState } from "../stack/state.js";
import { UsageError } from "../usage-error.js";
import type { LoadTarget } from "./run-load.js";

/** What a chain passes through: without any of them no chain can complete. */
const needed = ["kafka", "user-service", "order-service", "notification-service", "analytics-service"] as const;

export async function loadTarget(ctx: Context, command = "./polyglot load"): Promise<LoadTarget> {
  const state = await readState(ctx.stateDir);
  const running = await aliveComponents(state);
  const missing = needed.filter((n) => !running.some((c) => c.name === n));
  if (state === undefined || missing.length > 0) {
    const what = state === undefined || missing.length === needed.length ? "the stack is not up" : `the stack is not whole (${missing.join(", ")} not running)`;
    throw new UsageError(`${what}: start it with ./polyglot up (same *_PORT variables), then run ${command} again`);
  }
  const env = createStackEnv(state.brokers, { ...process.env, ...state.portVars });
  const urls = demoUrls(env);
  return {
    userUrl: urls.user,
    orderUrl: urls.order,
    bootstrap: env.KAFKA_BOOTSTRAP_SERVERS,
    components: running.map((c) => ({ name: c.name, pgid: c.pid })),
    brokerMetricsUrls: Array.from({ length: env.brokers }, (_, i) => `http://127.0.0.1:${brokerMetricsPort(env, i)}/metrics`),
  };
}
