// Where the stack under test listens: the same components and *_PORT variables as `./polyglot up`,
// and the broker that `./polyglot test` names in KAFKA_BOOTSTRAP_SERVERS.
import { demoUrls } from "../../../cli/src/demo/urls.js";
import type { DemoUrls } from "../../../cli/src/demo/flow.js";
import { createStackEnv } from "../../../cli/src/stack/stack-env.js";

export function bootstrap(): string {
  const servers = process.env.KAFKA_BOOTSTRAP_SERVERS;
  if (servers === undefined || servers === "") throw new Error("KAFKA_BOOTSTRAP_SERVERS is not set: run these tests with ./polyglot test, which starts the stack");
  return servers;
}

export function stackUrls(): DemoUrls {
  return demoUrls(createStackEnv(1, process.env));
}

/** The health URL of each service, as the contract names it. */
export function healthUrls(): ReadonlyArray<{ readonly service: string; readonly url: string }> {
  const urls = stackUrls();
  return [
    { service: "user-service", url: `${urls.user}/actuator/health` },
    { service: "order-service", url: `${urls.order}/health` },
    { service: "notification-service", url: `${urls.notification}/health` },
    { service: "analytics-service", url: `${urls.analytics}/health` },
  ];
}
