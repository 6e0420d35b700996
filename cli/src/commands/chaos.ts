// ./polyglot chaos: the fault injections of the fault tests, against a running stack, each
// printing what it did and then what the system did about it.
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import pc from "picocolors";
import type { Command } from "./command.js";
import type { Context } from "../context.js";
import { chainWindowLeadMs, dlqSnapshot, reportAftermath } from "../chaos/aftermath.js";
import { countReasons, describeGrowth, missingReasons, producePoison } from "../chaos/dlq.js";
import { groupLags, lagLines } from "../chaos/lag.js";
import { isEventTopic, poisonRecords } from "../chaos/poison.js";
import { serviceOf } from "../logs/render.js";
import { killComponent, pauseBrokers, runningBrokers, type KillSignal } from "../chaos/signals.js";
import { createAdmin, eventTopics } from "../stack/kafka/topics.js";
import { printFailure } from "../stack/report.js";
import { createStackEnv } from "../stack/stack-env.js";
import { StackError } from "../stack/stack-error.js";
import { readState } from "../stack/state.js";
import { UsageError } from "../usage-error.js";

const help = `Usage: ./polyglot chaos kill NAME [--signal TERM|KILL] [--wait SECONDS]
       ./polyglot chaos broker-pause SECONDS [--broker NAME]... [--wait SECONDS]
       ./polyglot chaos poison TOPIC [--wait SECONDS]

Each prints what it did, then what the system did about it, waiting up to --wait seconds
(default 60; poison 30) with progress: how long the services' consumer groups took to drain
their lag, the .dlq topics' counts per dlq.reason before and after, and the sign-up and order
chains whose root event is from ${chainWindowLeadMs / 1000} s before the fault on: how many are complete, judged
like the end-to-end tests (cli/src/events/chain-expectations.ts). A chain waiting for a service
that is down (killed) is named with that service, not waited for. Exit 0 when the system
recovered (lag drained, every such chain complete), else 1 with what to do next.

  kill NAME            sends SIGTERM (default) or SIGKILL to the process group of one running
                       component or instance (order-service, order-service-2, kafka-2, ...),
                       waits until it is gone and (up to 60 s) until its consumer group has
                       dropped it, then shows the consumer groups; ./polyglot up starts it again
                       (a killed broker ends the command there: nothing to read back)
  broker-pause SECONDS freezes the broker(s) with SIGSTOP for SECONDS (1..600), then SIGCONT;
                       shows when the broker answers again and the consumer groups' lag
  poison TOPIC         sends one record of each poison kind to TOPIC (${eventTopics.join(", ")}):
                       random bytes, a truncated protobuf, a wrong ce_type, missing ce_* headers,
                       a 1 MiB value; then waits (default 30 s) until <TOPIC>.dlq holds them and
                       prints its counts per dlq.reason before and after. Exit 1 when some did
                       not arrive in time (is a service consuming TOPIC running?)
  --wait SECONDS       how long to wait for the aftermath (0..600)
  --bootstrap HOST:PORT  another broker than the running stack's (poison, and the group view)`;

function parseWait(waitText: string): number {
  const waitSeconds = Number(waitText);
  if (!Number.isInteger(waitSeconds) || waitSeconds < 0 || waitSeconds > 600) throw new UsageError(`--wait takes seconds from 0 to 600, not ${waitText}`);
  return waitSeconds;
}

function bootstrapOf(values: { bootstrap?: string | undefined }, state: Awaited<ReturnType<typeof readState>>): string {
  if (values.bootstrap !== undefined) return values.bootstrap;
  if (state === undefined) throw new StackError("the stack is not running", "start it with ./polyglot up (or name a broker with --bootstrap HOST:PORT)");
  return createStackEnv(state.brokers, { ...process.env, ...state.portVars }).KAFKA_BOOTSTRAP_SERVERS;
}

async function showGroups(bootstrap: string): Promise<void> {
  try {
    for (const line of lagLines(await groupLags(bootstrap))) console.log(`  ${line}`);
  } catch (error: unknown) {
    console.log(`  (could not read the consumer groups: ${error instanceof Error ? error.message : String(error)})`);
  }
}

/** Polls a metadata request until the broker answers; returns the seconds it took, or undefined after `timeoutMs`. */
async function waitAnswers(bootstrap: string, timeoutMs: number): Promise<number | undefined> {
  const since = performance.now();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const admin = createAdmin(bootstrap, "polyglot-chaos");
    try {
      await admin.metadata({ topics: [], forceUpdate: true, retries: 0 });
      return (performance.now() - since) / 1000;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    } finally {
      await admin.close().catch(() => undefined);
    }
  }
  return undefined;
}

/** The members of consumer group `group` now, or undefined when there is no such group (or the broker does not answer). */
async function membersOf(bootstrap: string, group: string): Promise<number | undefined> {
  try {
    return (await groupLags(bootstrap)).find((l) => l.group === group)?.members;
  } catch {
    return undefined;
  }
}

async function kill(ctx: Context, name: string, signalName: string, waitText: string, bootstrap?: string): Promise<number> {
  const signal: KillSignal | undefined = signalName === "TERM" ? "SIGTERM" : signalName === "KILL" ? "SIGKILL" : undefined;
  if (signal === undefined) throw new UsageError(`--signal takes TERM or KILL, not ${signalName}`);
  const waitSeconds = parseWait(waitText);
  const state = await readState(ctx.stateDir);
  const broker = /^kafka(-\d+)?$/.test(name);
  const address = broker ? undefined : bootstrapOf({ bootstrap }, state);
  // A service's consumer group is named after the service, whichever instance is killed.
  const group = serviceOf(name);
  const before = address === undefined ? undefined : await membersOf(address, group);
  const dlqBefore = address === undefined ? undefined : await dlqSnapshot(address);
  const faultAt = new Date();
  const deadline = Date.now() + waitSeconds * 1000;
  const killed = await killComponent(ctx, name, signal);
  console.log(`sent ${killed.signal} to ${killed.name} (process group ${killed.pid})`);
  console.log(killed.gone ? `${killed.name} is gone after ${killed.seconds.toFixed(1)} s` : pc.red(`${killed.name} still runs after ${killed.seconds.toFixed(1)} s; ./polyglot chaos kill ${name} --signal KILL ends it`));
  if (address !== undefined) {
    if (before !== undefined && before > 0) {
      // SIGTERM lets the consumer leave its group at once; after SIGKILL the group waits out the session timeout (45 s by default).
      console.log(`consumer group ${group} had ${before} member${before === 1 ? "" : "s"}; waiting up to ${waitSeconds} s for the group to drop ${killed.name}...`);
      const since = performance.now();
      let now = before;
      while (now >= before && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        now = (await membersOf(address, group)) ?? now;
      }
      const took = ((performance.now() - since) / 1000).toFixed(1);
      const rest = now === 0 ? "nothing consumes its partitions until it runs again" : "the rest took over its partitions";
      console.log(now < before ? `${group} has ${now} member${now === 1 ? "" : "s"} after ${took} s; ${rest}` : `${group} still has ${now} members after ${waitSeconds} s`);
    }
    console.log("consumer groups now:");
    await showGroups(address);
  }
  console.log(`./polyglot up starts ${name} again.`);
  if (!killed.gone) return 1;
  if (address === undefined) return 0;
  return (await reportAftermath(ctx, { bootstrap: address, faultAt, deadline, waitSeconds, ...(dlqBefore === undefined ? {} : { dlqBefore }) })) ? 0 : 1;
}

async function brokerPause(ctx: Context, secondsText: string, names: readonly string[], waitText: string, bootstrap?: string): Promise<number> {
  const seconds = Number(secondsText);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 600) throw new UsageError(`broker-pause takes a number of seconds from 1 to 600, not ${secondsText}`);
  const waitSeconds = parseWait(waitText);
  const state = await readState(ctx.stateDir);
  const brokers = await runningBrokers(ctx, names);
  const address = bootstrapOf({ bootstrap }, state);
  const dlqBefore = await dlqSnapshot(address);
  const faultAt = new Date();
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  try {
    await pauseBrokers(brokers, seconds, controller.signal, (line) => console.log(`${new Date().toISOString()} ${line}`));
  } finally {
    process.removeListener("SIGINT", stop);
    process.removeListener("SIGTERM", stop);
  }
  const deadline = Date.now() + waitSeconds * 1000;
  const after = await waitAnswers(address, 60_000);
  if (after === undefined) {
    console.log(pc.red(`the broker did not answer within 60 s after SIGCONT; read ./polyglot logs kafka`));
    return 1;
  }
  console.log(`the broker answered a metadata request ${after.toFixed(1)} s after SIGCONT`);
  console.log("consumer groups now:");
  await showGroups(address);
  return (await reportAftermath(ctx, { bootstrap: address, faultAt, deadline, waitSeconds, dlqBefore })) ? 0 : 1;
}

async function poison(ctx: Context, topic: string, waitText: string, bootstrap?: string): Promise<number> {
  if (!isEventTopic(topic)) throw new UsageError(`poison takes an event topic (${eventTopics.join(", ")}), not ${topic}`);
  const waitSeconds = parseWait(waitText);
  const address = bootstrapOf({ bootstrap }, await readState(ctx.stateDir));
  const dlq = `${topic}.dlq`;
  const before = await countReasons(address, dlq);
  const correlationId = `chaos-${randomUUID()}`;
  const faultAt = new Date();
  const deadline = Date.now() + waitSeconds * 1000;
  const records = poisonRecords(topic, correlationId);
  const produced = await producePoison(address, topic, records);
  console.log(`sent ${records.length} poison records to ${topic} (correlation id ${correlationId}):`);
  records.forEach((r, i) => {
    const p = produced[i];
    console.log(`  ${r.kind.padEnd(18)} ${String(r.value.length).padStart(7)} bytes  partition ${p?.partition} offset ${p?.offset}  expected dlq.reason ${r.expected}`);
  });
  const expected = records.map((r) => r.expected);
  console.log(`waiting up to ${waitSeconds} s for them in ${dlq}...`);
  let after = await countReasons(address, dlq);
  while (missingReasons(before, after, expected).size > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    after = await countReasons(address, dlq);
  }
  console.log(`${dlq} per dlq.reason, before: ${describeGrowth(before, before).join(", ") || "empty"}`);
  console.log(`${dlq} per dlq.reason, after:  ${describeGrowth(before, after).join(", ") || "empty"}`);
  const missing = missingReasons(before, after, expected);
  if (missing.size > 0) {
    console.log(pc.red(`not in ${dlq} after ${waitSeconds} s: ${[...missing].map(([r, n]) => `${n} x ${r}`).join(", ")}`));
    // A consumer that cannot dead-letter a record retries it and stops its partition: lag shows that.
    console.log("consumer groups now:");
    await showGroups(address);
    console.log(`Next: is a service consuming ${topic} running (./polyglot status)? Its log says what it did: ./polyglot logs --correlation ${correlationId}`);
    return 1;
  }
  console.log(pc.green(`every poison record is in ${dlq} with the expected reason. ./polyglot logs --correlation ${correlationId} shows what each service did.`));
  console.log("consumer groups now:");
  await showGroups(address);
  return (await reportAftermath(ctx, { bootstrap: address, faultAt, deadline, waitSeconds })) ? 0 : 1;
}

export const chaos: Command = {
  summary: "inject a fault into the running stack: kill a component, pause the broker, send poison records",
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        signal: { type: "string", default: "TERM" },
        broker: { type: "string", multiple: true },
        wait: { type: "string" },
        bootstrap: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
    if (values.help) {
      console.log(help);
      return 0;
    }
    const [action, target, ...extra] = positionals;
    if (action === undefined || target === undefined || extra.length > 0) throw new UsageError(help);
    try {
      if (action === "kill") return await kill(ctx, target, values.signal, values.wait ?? "60", values.bootstrap);
      if (action === "broker-pause") return await brokerPause(ctx, target, values.broker ?? [], values.wait ?? "60", values.bootstrap);
      if (action === "poison") return await poison(ctx, target, values.wait ?? "30", values.bootstrap);
    } catch (error: unknown) {
      if (error instanceof UsageError) throw error;
      await printFailure(error, ctx.root);
      return 1;
    }
    throw new UsageError(`unknown chaos action '${action}'\n\n${help}`);
  },
};
