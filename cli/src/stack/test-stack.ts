// What `./polyglot test` starts around the suites that need running processes, and stops after.
//   broker  - the broker of the user's stack when it is up; otherwise a throw-away broker
//   broker3 - always a throw-away 3-broker cluster, so a failover test may stop brokers without
//             touching the user's stack
//   stack   - the user's stack: reused when it is up, else started in .polyglot/ and stopped after
//   stack3  - always a throw-away whole stack with 3 brokers, every port picked by the OS, so a
//             fault test may kill one of its brokers without touching the user's stack
// Throw-away brokers live in .polyglot/test/<need>/ on free ports picked by the OS, so they clash
// neither with a stack the user keeps up nor with another checkout running its tests.
import { rm } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import type { Context } from "../context.js";
import type { StackEnv } from "./component.js";
import { aliveComponents, componentsFor, startStack } from "./start.js";
import { brokerPorts, createStackEnv, type BrokerCount } from "./stack-env.js";
import { clusterDir } from "./kafka/storage.js";
import { readState } from "./state.js";
import { stopStack } from "./stop.js";

export type SuiteNeeds = "broker" | "broker3" | "stack" | "stack3";

export interface ProvidedStack {
  /** Set in the environment of the suites that use it: KAFKA_BOOTSTRAP_SERVERS and, for broker3, the state dir and ports. */
  readonly vars: Readonly<Record<string, string>>;
  /** One line for the test output. */
  readonly description: string;
  /** Stops what `provideStack` started; a reused stack stays up. */
  release(): Promise<void>;
}

/** `count` ports that were free a moment ago (the OS picks them: bind to port 0). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<net.Server>((resolve, reject) => {
      const server = net.createServer();
      server.once("error", reject);
      server.listen({ host: "127.0.0.1", port: 0 }, () => resolve(server));
    })),
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

/** POLYGLOT_STATE_DIR and the KAFKA_*_PORT variables of a throw-away cluster of `brokers` brokers. */
export async function throwAwayVars(stateDir: string, brokers: BrokerCount): Promise<Record<string, string>> {
  const ports = await freePorts(brokers * 2);
  const vars: Record<string, string> = { POLYGLOT_STATE_DIR: stateDir };
  brokerPorts.slice(0, brokers).forEach((b, i) => {
    vars[b.portVar] = String(ports[2 * i]);
    vars[b.controllerVar] = String(ports[2 * i + 1]);
  });
  return vars;
}

async function throwAwayCluster(ctx: Context, needs: SuiteNeeds, brokers: BrokerCount): Promise<ProvidedStack> {
  const testCtx: Context = { ...ctx, stateDir: path.join(ctx.stateDir, "test", needs) };
  // A run that was interrupted may have left its cluster: stop it and start from empty storage.
  await stopStack(testCtx);
  await rm(clusterDir(testCtx.stateDir, brokers), { recursive: true, force: true });
  const vars = await throwAwayVars(testCtx.stateDir, brokers);
  const outcome = await startStack(testCtx, { brokers, vars: { ...process.env, ...vars }, scope: "broker" });
  return {
    vars: { ...vars, KAFKA_BOOTSTRAP_SERVERS: outcome.env.KAFKA_BOOTSTRAP_SERVERS },
    description: `a throw-away ${brokers === 1 ? "broker" : `${brokers}-broker cluster`} on ${outcome.env.KAFKA_BOOTSTRAP_SERVERS}`,
    release: async () => {
      await stopStack(testCtx);
    },
  };
}

/** Every port variable the components of a stack with `brokers` brokers read (asked through a recording env). */
export function portVariables(brokers: BrokerCount): string[] {
  const asked = new Set<string>();
  const base = createStackEnv(brokers, {});
  const recording: StackEnv = {
    ...base,
    port(variable, fallback) {
      asked.add(variable);
      return base.port(variable, fallback);
    },
  };
  for (const c of componentsFor(recording, "stack")) c.ports(recording);
  return [...asked].sort();
}

/** The whole stack with 3 brokers in .polyglot/test/stack3/, on ports picked by the OS, from empty brokers and databases. */
async function throwAwayStack(ctx: Context): Promise<ProvidedStack> {
  const testCtx: Context = { ...ctx, stateDir: path.join(ctx.stateDir, "test", "stack3") };
  await stopStack(testCtx);
  await rm(clusterDir(testCtx.stateDir, 3), { recursive: true, force: true });
  // The services' databases must start as empty as the new brokers.
  await rm(path.join(testCtx.stateDir, "data"), { recursive: true, force: true });
  const names = portVariables(3);
  const ports = await freePorts(names.length);
  const vars: Record<string, string> = { POLYGLOT_STATE_DIR: testCtx.stateDir };
  names.forEach((name, i) => (vars[name] = String(ports[i])));
  const outcome = await startStack(testCtx, { brokers: 3, vars: { ...process.env, ...vars }, scope: "stack" });
  return {
    vars: { ...vars, KAFKA_BOOTSTRAP_SERVERS: outcome.env.KAFKA_BOOTSTRAP_SERVERS },
    description: `a throw-away stack with 3 brokers on ${outcome.env.KAFKA_BOOTSTRAP_SERVERS}`,
    release: async () => {
      await stopStack(testCtx);
    },
  };
}

export async function provideStack(ctx: Context, needs: SuiteNeeds): Promise<ProvidedStack> {
  const state = await readState(ctx.stateDir);
  const userStackUp = (await aliveComponents(state)).some((c) => c.name === "kafka");
  if (needs === "broker3") return throwAwayCluster(ctx, needs, 3);
  if (needs === "stack3") return throwAwayStack(ctx);
  if (needs === "broker" && !userStackUp) return throwAwayCluster(ctx, needs, 1);
  const outcome = await startStack(ctx, { brokers: state?.brokers ?? 1, vars: process.env, scope: needs === "broker" ? "broker" : "stack" });
  const started = outcome.kind === "started" ? outcome.started : [];
  return {
    vars: { KAFKA_BOOTSTRAP_SERVERS: outcome.env.KAFKA_BOOTSTRAP_SERVERS },
    description: started.length === 0 ? `the running stack (${outcome.env.KAFKA_BOOTSTRAP_SERVERS})` : `${started.join(", ")}, started for the tests`,
    release: async () => {
      if (started.length > 0) await stopStack(ctx, started);
    },
  };
}
