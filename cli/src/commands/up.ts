// ./polyglot up: starts the stack in the background and waits until every component is healthy.
import { parseArgs } from "node:util";
import pc from "picocolors";
import type { Command } from "./command.js";
import { databaseVar } from "../stack/components/postgres.js";
import { stackStatus } from "../stack/inspect.js";
import { parseScale } from "../stack/instances.js";
import { printFailure, statusLines } from "../stack/report.js";
import { aliveComponents, startStack } from "../stack/start.js";
import { StackError } from "../stack/stack-error.js";
import { readState } from "../stack/state.js";
import { parseBrokerCount } from "../stack/stack-env.js";
import { UsageError } from "../usage-error.js";
import type { Context } from "../context.js";

const help = `Usage: ./polyglot up [--brokers 1|3] [--only NAME]... [--scale NAME=N,...] [--postgres]

Starts the stack in the background (broker first, then the services in dependency order) and
waits until each component is healthy. Running it again while the stack is up changes nothing;
after a component stopped, it starts only what is missing.

  --brokers 3   three Kafka brokers on 9092, 9094, 9096 (replication factor 3, min ISR 2)
  --only NAME   start only NAME and what it depends on (e.g. --only kafka)
  --scale NAME=N,...
                run N instances (up to 9) of a scalable service in its one consumer group, e.g.
                --scale order-service=2,notification-service=2. Instance i > 1 is NAME-i with
                its own log, data dir and HTTP port (<NAME>_<i>_PORT, default NAME's port +
                100*(i-1): order-service-2 on 8181). The scale stays until the stack is down;
                a lower one is refused while the surplus instances run (./polyglot down NAME-i).
  --postgres    user-service on PostgreSQL instead of its embedded H2: adds the component
                postgres (Debian's postgresql, installed when missing; a cluster in
                .polyglot/postgres/ on POSTGRES_PORT, default 5432) and gives user-service its
                DATABASE_URL. Same as POLYGLOT_DATABASE=postgres; kept until the stack is down.

Ports come from the contract unless overridden: KAFKA_PORT, KAFKA_CONTROLLER_PORT,
KAFKA_2_PORT, KAFKA_2_CONTROLLER_PORT, KAFKA_3_PORT, KAFKA_3_CONTROLLER_PORT, <SERVICE>_PORT,
<SERVICE>_<i>_PORT, POSTGRES_PORT.`;

export const up: Command = {
  summary: "start the stack in the background and wait until it is healthy",
  async run(args, ctx) {
    const { values } = parseArgs({
      args,
      strict: true,
      options: {
        brokers: { type: "string", default: "1" },
        only: { type: "string", multiple: true },
        scale: { type: "string", multiple: true },
        postgres: { type: "boolean", default: false },
        help: { type: "boolean", short: "h" },
      },
    });
    if (values.help) {
      console.log(help);
      return 0;
    }
    const brokers = parseBrokerCount(values.brokers);
    if (brokers === undefined) throw new UsageError(`--brokers takes 1 or 3, not ${values.brokers}`);
    const scale = values.scale === undefined ? undefined : parseScale(values.scale);
    const vars = values.postgres ? { ...process.env, [databaseVar]: "postgres" } : process.env;
    try {
      if (values.postgres) await refuseRunningEmbedded(ctx);
      const outcome = await startStack(ctx, { brokers, vars, ...(values.only ? { only: values.only } : {}), ...(scale ? { scale } : {}) });
      if (outcome.kind === "already-up") {
        console.log(`The stack is already up (${outcome.running.join(", ")}): nothing changed.`);
      } else {
        console.log(pc.green(`\nStarted ${outcome.started.join(", ")} in ${outcome.seconds.toFixed(1)} s.`));
      }
      console.log("");
      for (const line of statusLines(await stackStatus(ctx))) console.log(line);
      console.log(`\nKAFKA_BOOTSTRAP_SERVERS=${outcome.env.KAFKA_BOOTSTRAP_SERVERS}\nLogs: ./polyglot logs NAME    Stop: ./polyglot down`);
      return 0;
    } catch (error: unknown) {
      await printFailure(error, ctx.root);
      return 1;
    }
  },
};

/** `--postgres` cannot move a user-service that already runs on its embedded database. */
async function refuseRunningEmbedded(ctx: Context): Promise<void> {
  const state = await readState(ctx.stateDir);
  const running = await aliveComponents(state);
  if (running.some((c) => c.name === "user-service") && state?.portVars[databaseVar] !== "postgres") {
    throw new StackError("user-service is running on its embedded database", "stop it first (./polyglot down user-service), then run ./polyglot up --postgres");
  }
}
