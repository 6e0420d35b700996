// The observability suite: promtool on Prometheus' configuration and rules (with the rule unit
// tests in infra/prometheus/tests/), then checks against a running stack: Prometheus ready and
// scraping itself, the brokers' JMX exporters and Zipkin; Zipkin storing a trace. It installs
// Prometheus when missing (promtool comes with it) and starts the broker, Prometheus and
// Zipkin when they are not up, stopping afterwards only what it started.
import path from "node:path";
import pc from "picocolors";
import type { Progress } from "../stack/component.js";
import { printFailure } from "../stack/report.js";
import { ensurePrometheus } from "../stack/observability/prometheus-install.js";
import { execStep } from "../stack/stack-context.js";
import { startStack } from "../stack/start.js";
import { readState } from "../stack/state.js";
import { stopStack } from "../stack/stop.js";
import type { Suite } from "./suite.js";
import { vitestSuite } from "./vitest-suite.js";

/** What the stack checks talk to; the services' targets may be down. */
const needed = ["kafka", "prometheus", "zipkin"];

const tests = vitestSuite({
  name: "observability",
  summary: "promtool check/test on the Prometheus rules, Prometheus and Zipkin on a running stack (vitest in cli/)",
  dir: "cli",
  args: ["--config", path.join("test", "observability", "vitest.config.ts")],
});

const progress: Progress = { update: (message) => console.log(pc.dim(message)) };

export const observability: Suite = {
  name: tests.name,
  summary: tests.summary,
  async run(ctx, reportDir) {
    await ensurePrometheus({ progress, exec: (step) => execStep(step, progress) });
    const state = await readState(ctx.stateDir);
    let started: readonly string[] = [];
    try {
      const outcome = await startStack(ctx, { brokers: state?.brokers ?? 1, vars: process.env, only: needed });
      if (outcome.kind === "started") started = outcome.started;
    } catch (error: unknown) {
      // The promtool cases need no stack: they still run, and the stack cases fail with this cause.
      await printFailure(error, ctx.root);
    }
    try {
      return await tests.run(ctx, reportDir);
    } finally {
      if (started.length > 0) {
        console.log(pc.dim(`stopping what the suite started: ${started.join(", ")}`));
        await stopStack(ctx, started);
      }
    }
  },
};
