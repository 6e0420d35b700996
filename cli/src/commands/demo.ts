// ./polyglot demo: starts what is not running, runs the contract's demo flow and prints each
// step's answer, both event chains, the e-mails and the analytics; exits 0 only when every
// number is what the flow implies. The stack stays up afterwards.
import { parseArgs } from "node:util";
import pc from "picocolors";
import type { Command } from "./command.js";
import { EventLog } from "../events/event-log.js";
import { expectedDelta, runDemoFlow } from "../demo/flow.js";
import { printDemo } from "../demo/report.js";
import { demoUrls } from "../demo/urls.js";
import { printFailure } from "../stack/report.js";
import { startStack } from "../stack/start.js";
import { readState } from "../stack/state.js";

export const demo: Command = {
  summary: "start the stack and run the demo flow (sign-up -> orders -> e-mails -> analytics)",
  async run(args, ctx) {
    const { values } = parseArgs({ args, strict: true, options: { help: { type: "boolean", short: "h" } } });
    if (values.help) {
      console.log("Usage: ./polyglot demo\n\nStarts the stack if needed, runs the demo flow and checks every number. The stack stays up.");
      return 0;
    }
    let env;
    try {
      // A stack already up with 3 brokers is used as it is.
      const brokers = (await readState(ctx.stateDir))?.brokers ?? 1;
      ({ env } = await startStack(ctx, { brokers, vars: process.env }));
    } catch (error: unknown) {
      await printFailure(error, ctx.root);
      return 1;
    }
    const urls = demoUrls(env);
    console.log(
      pc.bold("\nThe demo flow: ") +
        `expecting +${expectedDelta.userSignups} sign-up, +${expectedDelta.ordersCreated} orders (welcome + posted), ` +
        `both shipped, +${expectedDelta.emailsSent} e-mails (welcome + a confirmation per order + a shipping e-mail per shipped order), ` +
        `+${(expectedDelta.revenueCents / 100).toFixed(2)} revenue.`,
    );
    const events = await EventLog.open(env.KAFKA_BOOTSTRAP_SERVERS.split(","));
    try {
      const result = await runDemoFlow(urls, events);
      printDemo(result, urls);
      const failed = result.checks.filter((c) => !c.ok).length;
      if (failed > 0) {
        console.log(pc.red(`\n${failed} check(s) failed: see ./polyglot logs NAME for the service whose number is off.`));
        return 1;
      }
      console.log(pc.green(`\nThe demo passed. Dashboard: ${urls.analytics}/dashboard   Stop the stack: ./polyglot down`));
      return 0;
    } catch (error: unknown) {
      console.error(pc.red(`\nThe demo stopped: ${error instanceof Error ? error.message : String(error)}`));
      console.error("Check ./polyglot status and ./polyglot logs NAME for the service that did not answer, then run ./polyglot demo again.");
      return 1;
    } finally {
      await events.close();
    }
  },
};
