// The python suites of notification-service. Both first create or update the venv from
// requirements.lock, so they run on a fresh clone.
//   python             - pytest unit tests: templates, routing, DLQ, dedupe, the SMTP path against a
//                        real in-process sink, the shared vectors, ruff and mypy --strict as test cases
//   python-integration - pytest -m integration: the whole service on the real broker (private topics)
import path from "node:path";
import { execa } from "execa";
import pc from "picocolors";
import type { Context } from "../context.js";
import { ensureNotificationVenv, notificationServiceDir, venvBin } from "../stack/components/notification-service.js";
import { execStep, throttled } from "../stack/stack-context.js";
import type { Suite, SuiteRun } from "./suite.js";

async function pytest(ctx: Context, reportDir: string, suiteName: string, args: readonly string[]): Promise<SuiteRun> {
  const progress = throttled({ update: (message) => console.log(pc.dim(message)) }, ctx.ci ? 2_000 : 500);
  await ensureNotificationVenv(ctx.root, progress, (step) => execStep(step, progress));
  const report = path.join(reportDir, "junit.xml");
  const { exitCode } = await execa(venvBin(ctx.root, "pytest"), [`--junitxml=${report}`, "-o", `junit_suite_name=${suiteName}`, ...args], {
    cwd: notificationServiceDir(ctx.root),
    stdio: "inherit",
    reject: false,
    env: { PYTHONUNBUFFERED: "1" },
  });
  return { exitCode: exitCode ?? 1, reports: [report] };
}

/** pytest from the service's venv, as a person runs it once the venv exists (the suite creates it first). */
const pytestCommand = (args: readonly string[]): string => ["cd services/notification-service && .venv/bin/pytest", ...args].join(" ");

const integrationArgs = ["-m", "integration"];

export const python: Suite = {
  name: "python",
  summary: "notification-service: pytest (templates, routing, DLQ, dedupe, SMTP sink, vectors, ruff, mypy --strict)",
  commands: [pytestCommand([])],
  run: (ctx, reportDir) => pytest(ctx, reportDir, "python", []),
};

export const pythonIntegration: Suite = {
  name: "python-integration",
  summary: "notification-service on the real broker: mails in the sink, EmailSentEvents and DLQ records read back (pytest)",
  needs: "broker",
  commands: [pytestCommand(integrationArgs)],
  run: (ctx, reportDir) => pytest(ctx, reportDir, "python-integration", integrationArgs),
};
