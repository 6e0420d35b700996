// ./polyglot seed: writes N chains of history straight into the stores, the topics and the mail
// sink, as if the stack had run N sign-ups, so that "flat with history" can be measured in
// minutes. The four services are stopped while their stores are written and started again after.
import { access } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { setTimeout as delay } from "node:timers/promises";
import pc from "picocolors";
import type { Command } from "./command.js";
import type { Context } from "../context.js";
import { progressLine } from "../load/progress-line.js";
import { historyChain, type HistoryChain } from "../seed/history.js";
import { deliverMails } from "../seed/mail-sink.js";
import { chainRecords } from "../seed/records.js";
import { notificationStore, orderStore } from "../seed/sqlite-stores.js";
import { analyticsTopics, groupLag, recordWriter, skipSeededRecords } from "../seed/topics.js";
import { h2Jar, UserStoreWriter } from "../seed/user-store.js";
import { smtpSinkPort } from "../stack/components/smtp-sink.js";
import { databaseVar } from "../stack/components/postgres.js";
import { javaCommand } from "../stack/kafka/storage.js";
import { printFailure } from "../stack/report.js";
import { aliveComponents, startStack } from "../stack/start.js";
import { createStackEnv } from "../stack/stack-env.js";
import { readState } from "../stack/state.js";
import { stopStack } from "../stack/stop.js";
import { UsageError } from "../usage-error.js";

const help = `Usage: ./polyglot seed [--chains N]

Writes N sign-up chains of history (default 100000) straight into the running stack: user-service's
users and sent outbox rows, the UserSignupEvent, the welcome OrderCreated and OrderShipped and the
three EmailSentEvents on the topics, order-service's and notification-service's SQLite rows, and
the three e-mails of each chain in the SMTP sink, with the same ids everywhere, spread over the
time before now as a steady 20 sign-ups/s. The four services are stopped while their stores are
written (the broker and the SMTP sink keep running), order-service's and notification-service's
consumer groups are moved past the seeded records (their stores already hold what the records
caused), and the services are started again; analytics-service then reads the history as new and
publishes its AnalyticsUpdates, which the command waits for.

The stack must be up and whole, with one instance of each service, and user-service on its
embedded H2 (not --postgres). Measure afterwards with ./polyglot load; ./polyglot reset --yes
gives the fresh stack back.`;

/** Chains per batch: one transaction per store and one produce call per batch. */
const batchSize = 5_000;
/** The history's pace: chains are this far apart, the last one a minute before now. */
const spacingMs = 50;

const services = ["user-service", "order-service", "notification-service", "analytics-service"] as const;

function parse(args: string[]): { chains: number } | "help" {
  let values;
  try {
    ({ values } = parseArgs({ args, strict: true, options: { chains: { type: "string", default: "100000" }, help: { type: "boolean", short: "h" } } }));
  } catch (error: unknown) {
    throw new UsageError(`${(error instanceof Error ? error.message : String(error)).split(/\n|\. /)[0]} (./polyglot seed --help lists the options)`);
  }
  if (values.help) return "help";
  const chains = Number(values.chains);
  if (!Number.isInteger(chains) || chains < 1 || chains > 10_000_000) throw new UsageError(`--chains takes a whole number from 1 to 10000000, not ${values.chains}`);
  return { chains };
}

const exists = (file: string): Promise<boolean> =>
  access(file).then(
    () => true,
    () => false,
  );

/** The stores' files, as the services name them under their data directories. */
function storeFiles(ctx: Context) {
  const data = path.join(ctx.stateDir, "data");
  return {
    // DataSourceConfiguration.embeddedUrl: users under DATA_DIR (H2 adds .mv.db).
    users: path.join(data, "user-service", "users"),
    // SHARED_DATA_DIR of each: the group's one database.
    orders: path.join(data, "order-service-shared", "orders.db"),
    notifications: path.join(data, "notification-service-shared", "notification-service.sqlite3"),
  };
}

/** Refuses, saying what to do, unless the whole stack runs as `up` starts it by default. */
async function checkStack(ctx: Context) {
  const state = await readState(ctx.stateDir);
  const running = await aliveComponents(state);
  const needed = ["kafka", "smtp-sink", ...services];
  const missing = needed.filter((n) => !running.some((c) => c.name === n));
  if (state === undefined || missing.length > 0) {
    throw new UsageError(`${state === undefined ? "the stack is not up" : `the stack is not whole (${missing.join(", ")} not running)`}: start it with ./polyglot up (same *_PORT variables), then run ./polyglot seed again`);
  }
  if (state.portVars[databaseVar] === "postgres") throw new UsageError("user-service runs on PostgreSQL (up --postgres): the seed writes its embedded H2 only; run ./polyglot down, ./polyglot up, then ./polyglot seed");
  if (Object.values(state.scale ?? {}).some((n) => n > 1)) throw new UsageError("some service runs more than one instance (up --scale): run ./polyglot down, ./polyglot up, then ./polyglot seed");
  const files = storeFiles(ctx);
  for (const [what, file] of [["user-service's H2 database", `${files.users}.mv.db`], ["order-service's database", files.orders], ["notification-service's database", files.notifications]] as const) {
    if (!(await exists(file))) throw new UsageError(`${what} (${file}) does not exist yet: let the stack run until the services are healthy, then run ./polyglot seed again`);
  }
  const jar = await h2Jar(ctx.root);
  if (jar === undefined || !(await exists(jar))) throw new UsageError("user-service's H2 jar is not extracted yet: run ./polyglot up once so that user-service is built and extracted, then ./polyglot seed again");
  return { state, files, jar, env: createStackEnv(state.brokers, { ...process.env, ...state.portVars }) };
}

const thousands = (n: number): string => n.toLocaleString("en-US");

export const seed: Command = {
  summary: "write N chains of history (stores, topics, mail sink) into the running stack, to measure it with history",
  async run(args, ctx) {
    const o = parse(args);
    if (o === "help") {
      console.log(help);
      return 0;
    }
    const { state, files, jar, env } = await checkStack(ctx);
    const progress = progressLine(process.stderr, ctx.ci);
    const started = performance.now();
    const elapsed = (): string => `${((performance.now() - started) / 1000).toFixed(1)} s`;
    try {
      console.error(pc.dim(`stopping ${services.join(", ")} while their stores are written (the broker and the SMTP sink keep running)...`));
      await stopStack(ctx, [...services]);
      const run = Date.now().toString(36);
      const first = Date.now() - 60_000 - o.chains * spacingMs;
      const topics = recordWriter(env.KAFKA_BOOTSTRAP_SERVERS);
      const orders = orderStore(files.orders);
      const notifications = notificationStore(files.notifications);
      const users = await UserStoreWriter.create(path.join(ctx.stateDir, "seed"));
      try {
        for (let from = 0; from < o.chains; from += batchSize) {
          const chains: HistoryChain[] = [];
          for (let i = from; i < Math.min(from + batchSize, o.chains); i++) chains.push(historyChain(run, i, new Date(first + i * spacingMs)));
          const mails = deliverMails(smtpSinkPort(env), chains);
          const records = chains.map((c) => ({ c, records: chainRecords(c) }));
          for (const { c, records: r } of records) users.add(c, r[0] as NonNullable<(typeof r)[0]>);
          orders.write(chains);
          notifications.write(chains);
          await Promise.all([topics.write(records.flatMap((r) => r.records)), mails]);
          const done = from + chains.length;
          progress.update(`seeding: ${thousands(done)}/${thousands(o.chains)} chains (${Math.round((100 * done) / o.chains)} %), ${elapsed()}`);
        }
      } finally {
        await topics.close();
        orders.close();
        notifications.close();
      }
      progress.update(`seeding: loading user-service's H2 database, ${elapsed()}`);
      await users.load(javaCommand(env.vars), jar, files.users);
      await skipSeededRecords(env.KAFKA_BOOTSTRAP_SERVERS);
      const seeded = elapsed();
      progress.done();
      console.error(pc.dim(`wrote ${thousands(o.chains)} chains in ${seeded}; starting the services again...`));
      await startStack(ctx, { brokers: state.brokers, vars: { ...process.env, ...state.portVars } });
      for (;;) {
        const lag = await groupLag(env.KAFKA_BOOTSTRAP_SERVERS, "analytics-service", analyticsTopics);
        if (lag === 0n) break;
        progress.update(`analytics-service reads the history: ${thousands(Number(lag))} records to go, ${elapsed()}`);
        await delay(1_000);
      }
      progress.done();
      console.log(pc.green(`Seeded ${thousands(o.chains)} chains of history in ${elapsed()} (stores, topics and mail sink ${seeded}); the stack is up again.`));
      console.log(`Their correlation ids are history-${run}-0 to history-${run}-${o.chains - 1}, their users' e-mail addresses the same @example.com.`);
      console.log("Measure it with ./polyglot load (e.g. --rate 5 --duration 20 --drain 60 --json); ./polyglot reset --yes gives a fresh stack back.");
      return 0;
    } catch (error: unknown) {
      progress.done();
      await printFailure(error, ctx.root);
      console.error("The stores may hold part of the history now: ./polyglot reset --yes gives a clean slate.");
      return 1;
    }
  },
};
