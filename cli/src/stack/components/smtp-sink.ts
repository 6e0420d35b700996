// The SMTP sink: a small aiosmtpd server (python -m notification.smtp_sink, from the
// notification-service venv) that keeps every e-mail it receives in a Maildir under its data
// dir; notification-service's GET /api/outbox lists that Maildir.
import type { Component } from "../component.js";
import { tcpAccepts } from "../probes.js";
import { ensureNotificationVenv, notificationServiceDir, smtpSinkPort, venvBin } from "./notification-service.js";

export const smtpSink: Component = {
  name: "smtp-sink",
  summary: "SMTP sink (Python, aiosmtpd)",
  dependsOn: [],
  ports: (env) => [smtpSinkPort(env)],
  url: (env) => `smtp://127.0.0.1:${smtpSinkPort(env)}`,

  async prepare(ctx) {
    await ensureNotificationVenv(ctx.root, ctx.progress, (step) => ctx.exec(step));
  },

  process(ctx) {
    return {
      command: venvBin(ctx.root, "python"),
      args: ["-m", "notification.smtp_sink"],
      cwd: notificationServiceDir(ctx.root),
      env: {
        SMTP_SINK_HOST: "127.0.0.1",
        SMTP_SINK_PORT: String(smtpSinkPort(ctx.env)),
        DATA_DIR: ctx.dataDir("smtp-sink"),
        LOG_LEVEL: ctx.env.vars.LOG_LEVEL ?? "INFO",
        PYTHONUNBUFFERED: "1",
      },
    };
  },

  healthy: (ctx) => tcpAccepts(smtpSinkPort(ctx.env)),
};
