// The bad-input suites, on the whole stack (tests/badinput/):
//   badinput-http   - schemathesis at each HTTP API, from its OpenAPI document (user-service's
//                     /v3/api-docs, notification-service's /openapi.json, and the documents in
//                     tests/badinput/openapi/ for order- and analytics-service, which serve none):
//                     no 5xx, every 4xx problem+json naming the bad field (tests/badinput/
//                     schemathesis_hooks.py); then vitest: raw requests from fast-check, and each
//                     service still healthy afterwards. One JUnit report per API plus vitest's.
//   badinput-poison - vitest: poison records on every consumed topic land in its .dlq once per
//                     consuming group with the contract's dlq.* headers; a good chain still completes.
// schemathesis runs from tests/badinput/.venv, made here from the pinned requirements.lock.
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import pc from "picocolors";
import type { Context } from "../context.js";
import { demoUrls } from "../demo/urls.js";
import { startStack } from "../stack/start.js";
import { readState } from "../stack/state.js";
import { createStackEnv } from "../stack/stack-env.js";
import { StackError } from "../stack/stack-error.js";
import type { Suite } from "./suite.js";
import { vitestSuite } from "./vitest-suite.js";

const dir = (root: string): string => path.join(root, "tests", "badinput");

/** Examples per API operation: enough to reach every branch of a handler, bounded so the suite stays within minutes on 2 cores. */
const maxExamples = 30;
/** A fixed seed: the same requests on every run, so a failure reproduces. */
const seed = 20261125;

async function findPython(): Promise<string> {
  for (const candidate of ["python3.11", "python3"]) {
    const { exitCode, stdout } = await execa(candidate, ["-c", "import sys, venv; print('%d.%d' % sys.version_info[:2])"], { reject: false });
    if (exitCode === 0 && stdout.trim() === "3.11") return candidate;
  }
  throw new StackError("Python 3.11 with venv is missing", "install Python 3.11 with venv (Debian: apt-get install python3.11 python3.11-venv), then run the command again");
}

/** Creates or updates tests/badinput/.venv from requirements.lock (hashes checked); quick when nothing changed. */
async function ensureVenv(root: string): Promise<string> {
  const venv = path.join(dir(root), ".venv");
  const python = path.join(venv, "bin", "python");
  const stamp = path.join(venv, ".polyglot-installed");
  const lock = path.join(dir(root), "requirements.lock");
  const wanted = createHash("sha256").update(await readFile(lock)).digest("hex");
  if (existsSync(python) && existsSync(stamp) && (await readFile(stamp, "utf8")).trim() === wanted) return venv;
  if (existsSync(python) && (await execa(python, ["-c", "import sys"], { reject: false })).exitCode !== 0) await rm(venv, { recursive: true, force: true });
  if (!existsSync(python)) {
    console.log(pc.dim("badinput: creating the Python venv (tests/badinput/.venv)..."));
    await execa(await findPython(), ["-m", "venv", venv], { stdio: "inherit" });
  }
  console.log(pc.dim("badinput: installing schemathesis from tests/badinput/requirements.lock..."));
  await execa(python, ["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "--progress-bar", "off", "--require-hashes", "--no-deps", "-r", lock], { stdio: "inherit" });
  await writeFile(stamp, `${wanted}\n`);
  return venv;
}

interface Api {
  readonly service: string;
  /** The OpenAPI document: the service's own URL, or a file of tests/badinput/openapi/. */
  readonly schema: (base: string, root: string) => string;
  readonly base: string;
}

/** Signs a user up and waits (bounded) until order-service knows them, so valid orders need not wait for a sign-up. */
async function knownUser(userBase: string, orderBase: string): Promise<string> {
  const response = await fetch(`${userBase}/api/users/signup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: `badinput-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`, name: "Bad Input" }),
    signal: AbortSignal.timeout(15_000),
  });
  const body = (await response.json()) as { user_id?: string };
  if (response.status !== 201 || typeof body.user_id !== "string") throw new Error(`sign-up answered ${response.status}: ${JSON.stringify(body)}`);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const orders = await fetch(`${orderBase}/api/orders?user_id=${encodeURIComponent(body.user_id)}`, { signal: AbortSignal.timeout(5_000) });
    if (orders.ok && ((await orders.json()) as { orders: unknown[] }).orders.length > 0) return body.user_id;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`order-service did not see the sign-up of ${body.user_id} within 30 s`);
}

const httpTests = vitestSuite({ name: "badinput-http", summary: "", dir: path.join("tests", "badinput"), args: ["http/"] });

export const badInputHttp: Suite = {
  name: "badinput-http",
  summary: "bad input at each HTTP API from its OpenAPI document (schemathesis) and raw requests (fast-check): no 5xx, problem+json naming the field, no crash",
  needs: "stack",
  async run(ctx: Context, reportDir: string) {
    const venv = await ensureVenv(ctx.root);
    const state = await readState(ctx.stateDir);
    const urls = demoUrls(createStackEnv(state?.brokers ?? 1, { ...process.env, ...state?.portVars }));
    const apis: Api[] = [
      { service: "user-service", schema: (base) => `${base}/v3/api-docs`, base: urls.user },
      { service: "notification-service", schema: (base) => `${base}/openapi.json`, base: urls.notification },
      { service: "order-service", schema: (_, root) => path.join(dir(root), "openapi", "order-service.yaml"), base: urls.order },
      { service: "analytics-service", schema: (_, root) => path.join(dir(root), "openapi", "analytics-service.yaml"), base: urls.analytics },
    ];
    const userId = await knownUser(urls.user, urls.order);
    const reports: string[] = [];
    let exitCode = 0;
    for (const api of apis) {
      const report = path.join(reportDir, `schemathesis-${api.service}.xml`);
      console.log(pc.bold(`\nschemathesis: ${api.service} (${api.base})`));
      const started = performance.now();
      const run = await execa(
        path.join(venv, "bin", "schemathesis"),
        [
          "run", api.schema(api.base, ctx.root), "--url", api.base,
          "--checks", "not_a_server_error,problem_details_for_client_errors",
          "--phases", "examples,coverage,fuzzing",
          "--max-examples", String(maxExamples), "--seed", String(seed),
          // One worker: schemathesis' workers are threads, and on CPython 3.11 two threads
          // building ASTs at once (Hypothesis parses sources to describe lambdas) share one
          // recursion counter, failing a run with "SystemError: AST constructor recursion depth
          // mismatch" (python/cpython#106905), as seen once in CI.
          "--workers", "1",
          "--continue-on-failure", "--generation-database", "none",
          "--request-timeout", "20", "--wait-for-schema", "30",
          "--report", "junit", "--report-junit-path", report,
          ...(ctx.ci ? ["--no-color"] : []),
        ],
        {
          // The report dir: schemathesis keeps its own state (.schemathesis/) where it runs.
          cwd: reportDir,
          stdio: "inherit",
          reject: false,
          env: { SCHEMATHESIS_HOOKS: path.join(dir(ctx.root), "schemathesis_hooks.py"), BADINPUT_KNOWN_USER_ID: userId, PYTHONUNBUFFERED: "1" },
        },
      );
      console.log(pc.dim(`schemathesis: ${api.service} done in ${((performance.now() - started) / 1000).toFixed(1)} s, exit ${run.exitCode}`));
      if (existsSync(report)) reports.push(report);
      if (run.exitCode !== 0) exitCode = run.exitCode ?? 1;
    }
    const vitest = await httpTests.run(ctx, reportDir);
    return { exitCode: exitCode !== 0 ? exitCode : vitest.exitCode, reports: [...reports, ...vitest.reports] };
  },
};

const poisonTests = vitestSuite({ name: "badinput-poison", summary: "", dir: path.join("tests", "badinput"), args: ["poison/"] });

export const badInputPoison: Suite = {
  name: "badinput-poison",
  summary: "poison records on every consumed topic: each in its .dlq once per consuming group with the dlq.* headers; a good chain still completes (vitest)",
  needs: "stack",
  async run(ctx, reportDir) {
    // A service that an earlier suite's bad input brought down is started again (and reported
    // there), so that this suite tests what the consumers do rather than a dead process.
    const state = await readState(ctx.stateDir);
    const outcome = await startStack(ctx, { brokers: state?.brokers ?? 1, vars: process.env, scope: "stack" });
    if (outcome.kind === "started" && outcome.started.length > 0) console.log(pc.yellow(`badinput-poison: started again first: ${outcome.started.join(", ")}`));
    return poisonTests.run(ctx, reportDir);
  },
};
