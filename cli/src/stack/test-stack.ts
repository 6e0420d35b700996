// What `./polyglot test` starts around the suites that need running processes, and stops after.
//   broker  - the broker of the user's stack (started in .polyglot/ if it is not up, reused if it is)
//   stack   - the whole stack, the same way
//   broker3 - a throw-away 3-broker cluster in .polyglot/test/broker3 on ports 19092-19097, so a
//             failover test may stop brokers without touching the user's stack
import { rm } from "node:fs/promises";
import path from "node:path";
import type { Context } from "../context.js";
import { startStack } from "./start.js";
import { brokerPorts } from "./stack-env.js";
import { clusterDir } from "./kafka/storage.js";
import { readState } from "./state.js";
import { stopStack } from "./stop.js";

export type SuiteNeeds = "broker" | "broker3" | "stack";

export interface ProvidedStack {
  /** Set in the environment of the suites that use it: KAFKA_BOOTSTRAP_SERVERS and, for broker3, the state dir and ports. */
  readonly vars: Readonly<Record<string, string>>;
  /** One line for the test output. */
  readonly description: string;
  /** Stops what `provideStack` started; a reused stack stays up. */
  release(): Promise<void>;
}

/** The ports of the throw-away cluster: the contract's plus 10000, clear of a stack the user keeps up. */
export function broker3Vars(stateDir: string): Record<string, string> {
  const vars: Record<string, string> = { POLYGLOT_STATE_DIR: stateDir };
  for (const b of brokerPorts) {
    vars[b.portVar] = String(b.port + 10_000);
    vars[b.controllerVar] = String(b.controllerPort + 10_000);
  }
  return vars;
}

export async function provideStack(ctx: Context, needs: SuiteNeeds): Promise<ProvidedStack> {
  if (needs === "broker3") {
    const testCtx: Context = { ...ctx, stateDir: path.join(ctx.stateDir, "test", "broker3") };
    // A run that was interrupted may have left its cluster: stop it and start from empty storage.
    await stopStack(testCtx);
    await rm(clusterDir(testCtx.stateDir, 3), { recursive: true, force: true });
    const vars = broker3Vars(testCtx.stateDir);
    const outcome = await startStack(testCtx, { brokers: 3, vars: { ...process.env, ...vars }, scope: "broker" });
    return {
      vars: { ...vars, KAFKA_BOOTSTRAP_SERVERS: outcome.env.KAFKA_BOOTSTRAP_SERVERS },
      description: `a throw-away 3-broker cluster on ${outcome.env.KAFKA_BOOTSTRAP_SERVERS}`,
      release: async () => {
        await stopStack(testCtx);
      },
    };
  }
  const state = await readState(ctx.stateDir);
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
