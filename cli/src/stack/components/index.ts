// Every component of the stack. A service plugs in by adding its file beside this one and
// listing it in `services` below. A service that needs the broker says `dependsOn: ["kafka"]`:
// `kafka` is healthy once every broker of the stack (1 or 3) is in the metadata, and its
// `ready` step has created the contract's topics before any dependent starts.
import type { Component, StackEnv } from "../component.js";
import { analyticsService } from "./analytics-service.js";
import { kafkaComponents } from "./kafka.js";
import { notificationService } from "./notification-service.js";
import { orderService } from "./order-service.js";
import { postgres, usesPostgres } from "./postgres.js";
import { prometheus } from "./prometheus.js";
import { smtpSink } from "./smtp-sink.js";
import { userService } from "./user-service.js";
import { zipkin } from "./zipkin.js";

/** The services and side processes, in any order: the runner starts them by `dependsOn`. */
const services: readonly Component[] = [userService, orderService, smtpSink, notificationService, analyticsService, prometheus, zipkin];

/** The components of a stack with `env.brokers` brokers. */
export function stackComponents(env: StackEnv): readonly Component[] {
  return [...kafkaComponents(env), ...withDatabase(env, services)];
}

/** With POLYGLOT_DATABASE=postgres (`up --postgres`): PostgreSQL too, and user-service starts after it. */
function withDatabase(env: StackEnv, components: readonly Component[]): readonly Component[] {
  if (!usesPostgres(env)) return components;
  return [...components.map((c) => (c.name === userService.name ? { ...c, dependsOn: [...c.dependsOn, postgres.name] } : c)), postgres];
}

/** Only the broker(s): what `./polyglot up --only kafka` and the broker test suites start. */
export function brokerComponents(env: StackEnv): readonly Component[] {
  return kafkaComponents(env);
}
