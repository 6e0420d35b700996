// notification-service (Python 3.11, FastAPI): its venv is made from the pinned
// services/notification-service/requirements.lock (with hashes) and reinstalled only when the lock
// or pyproject.toml changed. It sends e-mail to the SMTP sink (smtp-sink.ts, Mailpit).
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import type { Component, ExecStep, Progress, StackContext, StackEnv } from "../component.js";
import { httpOk } from "../probes.js";
import { StackError } from "../stack-error.js";
import { smtpSinkPort } from "./smtp-sink.js";
import { zipkinSpansUrl } from "./zipkin.js";

export const notificationServiceDir = (root: string): string => path.join(root, "services", "notification-service");
export const venvBin = (root: string, tool: string): string => path.join(notificationServiceDir(root), ".venv", "bin", tool);

const port = (env: StackEnv): number => env.port("NOTIFICATION_SERVICE_PORT", 8000);

/** The stamp holds the hash of what the venv was installed from. */
async function lockHash(dir: string): Promise<string> {
  const hash = createHash("sha256");
  for (const file of ["requirements.lock", "pyproject.toml"]) hash.update(await readFile(path.join(dir, file)));
  return hash.digest("hex");
}

/** python3.11, or a python3 that is 3.11 (the lock is resolved for 3.11). */
async function findPython(): Promise<string> {
  for (const candidate of ["python3.11", "python3"]) {
    const { exitCode, stdout } = await execa(candidate, ["-c", "import sys, venv; print('%d.%d' % sys.version_info[:2])"], { reject: false });
    if (exitCode === 0 && stdout.trim() === "3.11") return candidate;
  }
  throw new StackError("Python 3.11 with venv is missing", "install Python 3.11 with venv (Debian: apt-get install python3.11 python3.11-venv), then run the command again");
}

const installing = new Map<string, Promise<void>>();

/**
 * Creates or updates services/notification-service/.venv from requirements.lock; quick when
 * nothing changed. Shared by both components and the `python` suite, which may ask at once.
 */
export function ensureNotificationVenv(root: string, progress: Progress, exec: (step: ExecStep) => Promise<void>): Promise<void> {
  let pending = installing.get(root);
  if (pending === undefined) {
    pending = installVenv(root, progress, exec).finally(() => installing.delete(root));
    installing.set(root, pending);
  }
  return pending;
}

async function installVenv(root: string, progress: Progress, exec: (step: ExecStep) => Promise<void>): Promise<void> {
  const dir = notificationServiceDir(root);
  const venv = path.join(dir, ".venv");
  const stamp = path.join(venv, ".polyglot-installed");
  const python = path.join(venv, "bin", "python");
  const wanted = await lockHash(dir);
  if (existsSync(python) && existsSync(stamp) && (await readFile(stamp, "utf8")).trim() === wanted) return;

  const hint = "check the network (PyPI), then run the command again";
  // A venv whose interpreter no longer runs (made by a Python since removed) is made anew.
  if (existsSync(python) && (await execa(python, ["-c", "import sys"], { reject: false })).exitCode !== 0) {
    await rm(venv, { recursive: true, force: true });
  }
  if (!existsSync(python)) {
    progress.update("notification-service: creating the Python venv (services/notification-service/.venv)...");
    await exec({ command: await findPython(), args: ["-m", "venv", venv], cwd: dir, hint });
  }
  progress.update("notification-service: installing Python dependencies from requirements.lock into .venv...");
  const quiet = ["--disable-pip-version-check", "--no-input", "--progress-bar", "off"];
  await exec({ command: python, args: ["-m", "pip", "install", ...quiet, "--require-hashes", "--no-deps", "-r", "requirements.lock"], cwd: dir, hint });
  // Editable install: the venv's .pth puts src/ and gen/ (the generated `polyglot` package) on the path.
  await exec({ command: python, args: ["-m", "pip", "install", ...quiet, "--no-deps", "--no-build-isolation", "--editable", "."], cwd: dir, hint });
  await writeFile(stamp, `${wanted}\n`);
  progress.update("notification-service: Python venv ready");
}

export const notificationService: Component = {
  name: "notification-service",
  summary: "notification-service (Python, FastAPI)",
  dependsOn: ["kafka", "smtp-sink"],
  // Instances share the group `notification-service` and one SQLite database (SHARED_DATA_DIR: users,
  // sent-log, send claims, parked records, outbox), because partitions move between them on a
  // rebalance; each keeps its own DATA_DIR for the rest (the SMS provider's record).
  scalable: true,
  ports: (env) => [port(env)],
  url: (env) => `http://127.0.0.1:${port(env)}`,

  async prepare(ctx: StackContext) {
    await ensureNotificationVenv(ctx.root, ctx.progress, (step) => ctx.exec(step));
  },

  process(ctx) {
    return {
      command: venvBin(ctx.root, "python"),
      args: ["-m", "notification"],
      cwd: notificationServiceDir(ctx.root),
      env: {
        KAFKA_BOOTSTRAP_SERVERS: ctx.env.KAFKA_BOOTSTRAP_SERVERS,
        HTTP_PORT: String(port(ctx.env)),
        DATA_DIR: ctx.dataDir("notification-service"),
        // Not remapped per instance (only the component's own name is): every instance gets the same dir.
        SHARED_DATA_DIR: ctx.dataDir("notification-service-shared"),
        ZIPKIN_ENDPOINT: zipkinSpansUrl(ctx.env),
        LOG_LEVEL: ctx.env.vars.LOG_LEVEL ?? "INFO",
        SMTP_HOST: "127.0.0.1",
        SMTP_PORT: String(smtpSinkPort(ctx.env)),
        PYTHONUNBUFFERED: "1",
      },
    };
  },

  healthy: (ctx) => httpOk(`http://127.0.0.1:${port(ctx.env)}/health`),
};
