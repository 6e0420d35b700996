// The SMTP sink: Mailpit (mailpit-install.ts builds it), the mail catcher the contract's sink row
// allows. It takes SMTP on SMTP_SINK_PORT and serves its JSON API and web UI on
// SMTP_SINK_UI_PORT; the demo, the burst suites and the dashboard read mails from that API.
import type { Component, StackEnv } from "../component.js";
import { ensureMailpit, mailpitBinary } from "../mailpit/mailpit-install.js";
import { httpOk } from "../probes.js";

/** SMTP: where notification-service sends. */
export const smtpSinkPort = (env: StackEnv): number => env.port("SMTP_SINK_PORT", 2525);
/** HTTP: Mailpit's API (/api/v1/...) and web UI; 8025 is Mailpit's own default. */
export const smtpSinkUiPort = (env: StackEnv): number => env.port("SMTP_SINK_UI_PORT", 8025);
export const smtpSinkUrl = (env: StackEnv): string => `http://127.0.0.1:${smtpSinkUiPort(env)}`;

export const smtpSink: Component = {
  name: "smtp-sink",
  summary: "SMTP sink (Mailpit): keeps every e-mail; web UI and API on the URL",
  dependsOn: [],
  ports: (env) => [smtpSinkPort(env), smtpSinkUiPort(env)],
  url: (env) => smtpSinkUrl(env),

  async prepare(ctx) {
    await ensureMailpit(ctx);
  },

  process(ctx) {
    const dataDir = ctx.dataDir("smtp-sink");
    return {
      command: mailpitBinary(ctx.root),
      args: [
        `--smtp=127.0.0.1:${smtpSinkPort(ctx.env)}`,
        `--listen=127.0.0.1:${smtpSinkUiPort(ctx.env)}`,
        `--database=${dataDir}/mailpit.db`,
        // Mailpit keeps only the newest 500 messages by default: the sink keeps every mail.
        "--max=0",
        // Stored raw, uncompressed: CPU per mail over disk (a chain's mails are a few KB).
        "--compression=0",
        // No reverse-DNS lookup per connection, no tags from plus-addresses (demo+123@...), and no
        // call home for a newer version.
        "--smtp-disable-rdns",
        "--tags-disable=plus-addresses,x-tags",
        "--disable-version-check",
        "--quiet",
      ],
      cwd: dataDir,
      env: {},
    };
  },

  healthy: (ctx) => httpOk(`${smtpSinkUrl(ctx.env)}/readyz`),
};
