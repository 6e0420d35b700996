// Every command README.md shows (the rule: ./readme-commands.ts) is run, so the README stays true.
// A command counts as run when it is
//   - a line of .ci/run (what CI runs: ./polyglot test), or ./polyglot test --suite NAME of a known suite,
//   - exactly one of the commands a suite of ./polyglot test runs (Suite.commands, cli/src/suites/), or
//   - run here, briefly, on the stack ./polyglot test provides: the commands that measure for as
//     long as they are told (load for 2 s, bench as its --brief smoke run: readme-commands.ts `briefly`),
//   - run here: the commands that only read or poke the stack on the stack ./polyglot test
//     provides (status, logs, demo, chaos poison / broker-pause, a plain up, test --list,
//     --help); the ones that stop it or start it another way (down, up with a flag:
//     --brokers/--scale/--postgres/--only, chaos kill) on a throw-away stack of this test's
//     own, in .polyglot/test/readme/ on ports the OS picks.
// A command that is none of these fails the first test, naming its README line.
import { readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { suites } from "../src/suites/index.js";
import { freePorts, portVariables } from "../src/stack/test-stack.js";
import { briefly, fillPlaceholders, readmeCommands, type ReadmeCommand } from "./readme-commands.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const readme = readmeCommands(readFileSync(path.join(root, "README.md"), "utf8"));
const ciCommands = readFileSync(path.join(root, ".ci", "run"), "utf8")
  .split("\n")
  .map((l) => l.trim())
  .filter((l) => l !== "" && !l.startsWith("#") && !/^(set|cd)\s/.test(l));
const suiteCommands = new Map(suites.flatMap((s) => (s.commands ?? []).map((c) => [c, s.name] as const)));

type Where = "ci" | "suite" | "brief" | "stack" | "throw-away";

/** Stops the stack, or starts it in a way the stack of ./polyglot test must not be changed to. */
const changesTheStack = /^\.\/polyglot\s+(down\b|up\s+-|chaos\s+kill\b)/;
/** Reads or pokes the running stack and leaves it as it was (chaos: it recovers, the command checks that). */
const onTheStack = /^\.\/polyglot\s+(up|status|logs|demo|chaos\s+(poison|broker-pause)|test\s+--list|(\S+\s+)?--help)(\s|$)/;

const suiteNames = new Set(suites.map((s) => s.name));

function whereRun(command: string): Where | undefined {
  if (ciCommands.includes(command)) return "ci";
  // CI's ./polyglot test runs every suite: naming some of them runs a part of what CI runs.
  const named = /^\.\/polyglot\s+test((?:\s+(?:--suite|-s)\s+[\w-]+)+)$/.exec(command)?.[1];
  if (named !== undefined && ciCommands.includes("./polyglot test") && [...named.matchAll(/(?:--suite|-s)\s+([\w-]+)/g)].every((m) => suiteNames.has(m[1] as string))) return "ci";
  if (suiteCommands.has(command)) return "suite";
  if (briefly(command) !== undefined) return "brief";
  if (changesTheStack.test(command)) return "throw-away";
  if (onTheStack.test(command)) return "stack";
  return undefined;
}

const at = (c: ReadmeCommand): string => `README.md:${c.line} \`${c.command}\``;

/** Values of the README's placeholders, filled in as the commands run (ID from the demo's output). */
const placeholders: Record<string, string> = {};

/** Runs one README command from the repository root; a command that follows (-f) runs until its first lines. */
async function run(c: ReadmeCommand, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string> {
  const command = fillPlaceholders(c.command, placeholders);
  expect(command, `${at(c)}: no value for its placeholder yet (ID comes from the demo's output)`).not.toMatch(/(?<![\w$=-])ID(?![\w=-])/);
  if (/\s-f(\s|$)/.test(command)) {
    const child = execa("sh", ["-c", command], { cwd: root, env, all: true, reject: false, detached: true });
    let out = "";
    let exitedEarly = false;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      child.all?.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (out.split("\n").length > 5) {
          clearTimeout(timer);
          resolve();
        }
      });
      void child.then(() => {
        exitedEarly = true;
        resolve();
      });
    });
    const ended = exitedEarly;
    if (child.pid !== undefined && !ended) process.kill(-child.pid, "SIGTERM");
    await child;
    expect(ended, `${at(c)} ended instead of following:\n${out}`).toBe(false);
    expect(out.trim(), `${at(c)} printed nothing in ${timeoutMs / 1000} s`).not.toBe("");
    return out;
  }
  const result = await execa("sh", ["-c", command], { cwd: root, env, all: true, reject: false, timeout: timeoutMs });
  const out = result.all ?? "";
  expect(result.exitCode, `${at(c)} exited ${result.exitCode}${result.timedOut ? ` (timed out after ${timeoutMs / 1000} s)` : ""}:\n${out.slice(-4000)}`).toBe(0);
  expect(out.trim(), `${at(c)} printed nothing`).not.toBe("");
  const id = /correlation id ([0-9a-f-]{36})/.exec(out)?.[1];
  if (id !== undefined) placeholders.ID ??= id;
  return out;
}

test("README.md shows commands, each run by CI, by a suite of ./polyglot test, or by this test", () => {
  expect(readme.length).toBeGreaterThan(0);
  const unproven = readme.filter((c) => whereRun(c.command) === undefined).map((c) => `${at(c)}: neither a line of .ci/run, nor a command of a suite (Suite.commands), nor one this test runs`);
  expect(unproven, `\n${unproven.join("\n")}\nthe suites' commands: ${[...suiteCommands.keys()].join(" | ")}\n`).toEqual([]);
});

const env = { ...process.env, CI: "true" };

describe("on the stack ./polyglot test provides", () => {
  // The demo first: its correlation id is the README's ID.
  const mine = readme.filter((c) => whereRun(c.command) === "stack").sort((a, b) => Number(b.command === "./polyglot demo") - Number(a.command === "./polyglot demo"));
  for (const c of mine) test(at(c), () => run(c, env, 180_000), 200_000);
  // Load and bench, shortened: each says how it was run.
  for (const c of readme.filter((x) => whereRun(x.command) === "brief")) {
    test(`${at(c)} run as \`${briefly(c.command) ?? ""}\``, () => run({ line: c.line, command: briefly(c.command) ?? c.command }, env, 180_000), 200_000);
  }
});

describe("on a throw-away stack", () => {
  // Each start before what needs it: instances, one of them killed, down; then 3 brokers; then
  // PostgreSQL. A start with other flags than the running stack's is refused, so the stack is
  // stopped before each start that finds it up.
  const rank = (command: string): number => [/up\s+--scale/, /chaos\s+kill/, /^\.\/polyglot\s+down/, /up\s+--brokers/, /up\s+--postgres/].findIndex((r) => r.test(command));
  const mine = readme.filter((c) => whereRun(c.command) === "throw-away").sort((a, b) => (rank(a.command) >>> 0) - (rank(b.command) >>> 0));
  const stateDir = path.join(process.env.POLYGLOT_STATE_DIR ?? path.join(root, ".polyglot"), "test", "readme");
  let own: NodeJS.ProcessEnv = {};
  const down = (): Promise<unknown> => execa("sh", ["-c", "./polyglot down"], { cwd: root, env: own, reject: false, timeout: 120_000 });

  beforeAll(async () => {
    const names = [...new Set([...portVariables(3), "POSTGRES_PORT"])];
    const ports = await freePorts(names.length);
    own = { ...env, POLYGLOT_STATE_DIR: stateDir };
    delete own.KAFKA_BOOTSTRAP_SERVERS;
    names.forEach((n, i) => (own[n] = String(ports[i])));
    // An interrupted run may have left its stack; start from empty brokers and databases.
    await down();
    for (const dir of ["kafka", "data", "postgres"]) await rm(path.join(stateDir, dir), { recursive: true, force: true });
  }, 180_000);
  afterAll(down, 180_000);

  let up = false;
  // afterAll stops what the last start left up.
  for (const c of mine) {
    test(at(c), async () => {
      const starts = /^\.\/polyglot\s+up\b/.test(c.command);
      if (starts && up) await down();
      await run(c, own, 600_000);
      if (starts) up = true;
      if (/^\.\/polyglot\s+down\s*$/.test(c.command)) up = false;
    }, 720_000);
  }
});
