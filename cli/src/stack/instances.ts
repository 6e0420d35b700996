// Scale-out: several instances of one service in one consumer group
// (`./polyglot up --scale order-service=2,notification-service=2`).
//
// Instance 1 is the component itself, unchanged. Instance i > 1 is derived from it by the runner:
// - name `<name>-<i>` (`order-service-2`): its log `.polyglot/logs/order-service-2.log`, its pid
//   file, `./polyglot logs|down|chaos kill order-service-2`;
// - data dir `.polyglot/data/<name>-<i>`: `ctx.dataDir("<name>")` answers it inside the instance;
// - HTTP port from `<NAME>_<i>_PORT` (ORDER_SERVICE_2_PORT) when set, else instance 1's port
//   + 100 * (i - 1): 8181 for order-service-2, 8100 for notification-service-2, 8180 for
//   user-service-2, 3100 for analytics-service-2. With at most 9 instances these stay clear of
//   every port of the contract (9092-9097, 8080, 8081, 8000, 2525, 8025, 3000, 9090, 9411, 16686) and
//   of the brokers' metrics ports (9404-9408); `up` checks them free like any other port;
// - the same consumer group: services take the group id from their service name, which every
//   instance shares; the environment also carries POLYGLOT_INSTANCE=<name>-<i>.
import type { Component, StackContext, StackEnv } from "./component.js";
import { parsePort } from "./stack-env.js";
import { StackError } from "./stack-error.js";
import { UsageError } from "../usage-error.js";

/** Instances per service wanted by `up --scale`: name -> count (1 is the default and needs no entry). */
export type Scale = Readonly<Record<string, number>>;

export const maxInstances = 9;
export const instancePortStep = 100;

/** The port variable of a component by the runner's convention: `order-service` -> `ORDER_SERVICE_PORT`. */
export function portVariable(name: string): string {
  return `${name.toUpperCase().replace(/-/g, "_")}_PORT`;
}

export function instanceName(base: string, index: number): string {
  return index === 1 ? base : `${base}-${index}`;
}

/** Parses `--scale order-service=2,notification-service=2` (the flag may also repeat). */
export function parseScale(values: readonly string[]): Scale {
  const scale: Record<string, number> = {};
  for (const item of values.flatMap((v) => v.split(",")).map((s) => s.trim()).filter((s) => s !== "")) {
    const match = /^([a-z0-9-]+)=(\d+)$/.exec(item);
    const count = Number(match?.[2]);
    if (match?.[1] === undefined || !Number.isInteger(count) || count < 1 || count > maxInstances) {
      throw new UsageError(`--scale takes NAME=N with N from 1 to ${maxInstances} (e.g. --scale order-service=2,notification-service=2), not '${item}'`);
    }
    if (scale[match[1]] !== undefined) throw new UsageError(`--scale names ${match[1]} twice`);
    scale[match[1]] = count;
  }
  return scale;
}

/** The environment as instance `index` of `base` sees it: its own port in place of `<BASE>_PORT`. */
export function instanceEnv(env: StackEnv, base: string, index: number): StackEnv {
  const own = portVariable(base);
  const mine = portVariable(instanceName(base, index));
  return Object.freeze({
    ...env,
    port(variable: string, fallback: number): number {
      if (variable !== own) return env.port(variable, fallback);
      return parsePort(mine, env.vars[mine], env.port(own, fallback) + instancePortStep * (index - 1));
    },
  });
}

/** Instance `index` (> 1) of a scalable component. */
export function instanceComponent(base: Component, index: number): Component {
  const name = instanceName(base.name, index);
  const envOf = (env: StackEnv): StackEnv => instanceEnv(env, base.name, index);
  const ctxOf = (ctx: StackContext): StackContext => ({
    ...ctx,
    env: envOf(ctx.env),
    dataDir: (c) => ctx.dataDir(c === base.name ? name : c),
    logFile: (c) => ctx.logFile(c === base.name ? name : c),
  });
  const { prepare, url, ready, describe } = base;
  return {
    name,
    summary: `${base.summary}, instance ${index}`,
    instanceOf: base.name,
    dependsOn: base.dependsOn,
    ...(base.startsBeside === undefined ? {} : { startsBeside: base.startsBeside }),
    ports: (env) => base.ports(envOf(env)),
    ...(url === undefined ? {} : { url: (env: StackEnv) => url.call(base, envOf(env)) }),
    ...(prepare === undefined ? {} : { prepare: (ctx: StackContext) => prepare.call(base, ctxOf(ctx)) }),
    process(ctx) {
      const spec = base.process(ctxOf(ctx));
      return { ...spec, env: { ...spec.env, POLYGLOT_INSTANCE: name } };
    },
    healthy: (ctx) => base.healthy(ctxOf(ctx)),
    ...(ready === undefined ? {} : { ready: (ctx: StackContext) => ready.call(base, ctxOf(ctx)) }),
    ...(describe === undefined ? {} : { describe: (ctx: StackContext) => describe.call(base, ctxOf(ctx)) }),
    ...(base.startTimeoutMs === undefined ? {} : { startTimeoutMs: base.startTimeoutMs }),
    ...(base.stopTimeoutMs === undefined ? {} : { stopTimeoutMs: base.stopTimeoutMs }),
  };
}

/**
 * The URL of instance `index` of `service`, from the component's own `url` inside the instance's
 * environment: so the default port lives in the component alone, and an unset `<NAME>_PORT`
 * gives the contract's port (8081, then 8181 for instance 2), as it does for `up`.
 */
export function instanceUrl(components: readonly Component[], env: StackEnv, service: string, index: number): string {
  const base = components.find((c) => c.name === service);
  const url = base?.url;
  if (base === undefined || url === undefined) throw new StackError(`the stack has no component '${service}' with a URL`, `components with a URL: ${components.filter((c) => c.url !== undefined).map((c) => c.name).join(", ")}`);
  if (!Number.isInteger(index) || index < 1 || index > maxInstances) throw new StackError(`${service} has no instance ${index}`, `instances are numbered 1 to ${maxInstances}`);
  if (index > 1 && base.scalable !== true) throw new StackError(`${service} cannot run as several instances, so it has no instance ${index}`, "a component says it can with scalable: true");
  return index === 1 ? url.call(base, env) : url.call(base, instanceEnv(env, base.name, index));
}

/** Throws when `scale` names a component that is not in `components`, or asks for several instances of one that is not scalable. */
export function checkScale(components: readonly Component[], scale: Scale): void {
  const scalable = components.filter((x) => x.scalable === true).map((x) => x.name).join(", ") || "none yet";
  for (const name of Object.keys(scale)) {
    const c = components.find((x) => x.name === name);
    if (c === undefined) throw new StackError(`--scale names ${name}, which is not a component of this stack`, `scalable components: ${scalable}`);
    if (c.scalable !== true && (scale[name] ?? 1) > 1) {
      throw new StackError(`${name} cannot run as several instances`, `scalable components: ${scalable} (a component says so with scalable: true)`);
    }
  }
}

/** Each component followed by its extra instances; entries of `scale` for unknown or unscalable components are ignored. */
export function withInstances(components: readonly Component[], scale: Scale): Component[] {
  return components.flatMap((c) => (c.scalable === true ? [c, ...Array.from({ length: (scale[c.name] ?? 1) - 1 }, (_, i) => instanceComponent(c, i + 2))] : [c]));
}

/** The scale without entries of 1, so the state only records what differs from the default. */
export function normalScale(scale: Scale): Scale {
  return Object.fromEntries(Object.entries(scale).filter(([, n]) => n > 1));
}
