// The python suite: notification-service's pytest run (unit tests, the SMTP path against a real
// in-process sink, the shared vectors, ruff and mypy --strict as test cases). It first creates or
// updates the venv from requirements.lock, so it runs on a fresh clone.
import path from "node:path";
import { execa } from "execa";
import pc from "picocolors";
import { ensureNotificationVenv, notificationServiceDir, venvBin } from "../stack/components/notification-service.js";
import { execStep, throttled } from "../stack/stack-context.js";
import type { Suite } from "./suite.js";

export const python: Suite = {
  name: "python",
  summary: "notification-service: pytest (templates, routing, DLQ, dedupe, SMTP sink, vectors, ruff, mypy --strict)",
  async run(ctx, reportDir) {
    const progress = throttled({ update: (message) => console.log(pc.dim(message)) }, ctx.ci ? 2_000 : 500);
    await ensureNotificationVenv(ctx.root, progress, (step) => execStep(step, progress));
    const report = path.join(reportDir, "junit.xml");
    const { exitCode } = await execa(venvBin(ctx.root, "pytest"), [`--junitxml=${report}`, "-o", "junit_suite_name=python"], {
      cwd: notificationServiceDir(ctx.root),
      stdio: "inherit",
      reject: false,
      env: { PYTHONUNBUFFERED: "1" },
    });
    return { exitCode: exitCode ?? 1, reports: [report] };
  },
};
