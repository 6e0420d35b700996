// Every suite that `./polyglot test` runs, in order: fast unit suites first, then the ones
// that start real processes. Add a suite by adding a file beside this one and listing it here.
import { goIntegrationSuite, goSuite } from "./go.js";
import { javaIntegrationSuite, javaPostgresSuite, javaSuite } from "./java.js";
import { observability } from "./observability.js";
import { python, pythonIntegration } from "./python.js";
import { schemas } from "./schemas.js";
import type { Suite } from "./suite.js";
import { vitestSuite } from "./vitest-suite.js";
import { analyticsBrokerSuite, analyticsStackSuite, analyticsSuite } from "./analytics.js";
import { badInputHttp, badInputPoison } from "./badinput.js";
import { loadSuite } from "./load.js";
import { seedSuite } from "./seed.js";

export const suites: readonly Suite[] = [
  vitestSuite({ name: "cli", summary: "unit tests of the CLI (vitest)", dir: "cli" }),
  schemas,
  javaSuite,
  python,
  analyticsSuite,
  goSuite,
  vitestSuite({
    name: "bench-serialization",
    summary: "the serialization benchmark's four harnesses build and run a quick pass covering every message and format; no speed is judged (vitest)",
    dir: "cli",
    args: ["--config", "vitest.bench.config.ts"],
  }),
  vitestSuite({
    name: "broker",
    summary: "a record with the contract's headers through the real broker (vitest)",
    dir: "tests",
    args: ["integration/broker/"],
    needs: "broker",
  }),
  // Right after `broker`, so that they use the same broker start.
  pythonIntegration,
  analyticsBrokerSuite,
  javaIntegrationSuite,
  javaPostgresSuite,
  goIntegrationSuite,
  vitestSuite({
    name: "cli-integration",
    summary: "the CLI against the real broker: chaos poison records, DLQ counts, group lag and chains read back (vitest)",
    dir: "cli",
    args: ["--config", "vitest.integration.config.ts"],
    needs: "broker",
  }),
  vitestSuite({
    name: "broker-failover",
    summary: "3 brokers: one stops, no acknowledged record is lost, it rejoins the ISR (vitest)",
    dir: "tests",
    args: ["integration/broker3/"],
    needs: "broker3",
  }),
  observability,
  // Last: the whole stack on the contract's ports.
  vitestSuite({
    name: "contract",
    summary: "every producer -> consumer pair: the real services write, each consumer's real consuming code reads the exact fields, and newer-schema records (vitest)",
    dir: "tests",
    args: ["contract/"],
    needs: "stack",
  }),
  vitestSuite({
    name: "e2e",
    summary: "the demo flow on the whole stack: HTTP answers, analytics, every record's key, headers and causes (vitest)",
    dir: "tests",
    args: ["e2e/", "--exclude", "e2e/burst/**"],
    needs: "stack",
  }),
  // On that same stack start: ./polyglot load for a few seconds, its counts against the topics.
  loadSuite,
  // After e2e, on the same stack start: the dashboard driving the demo from the browser.
  analyticsStackSuite,
  // Then bad input at every API and poison records on every topic, on that same stack.
  badInputHttp,
  badInputPoison,
  // On that same stack: every command of README.md is run (here, or it is a suite's or CI's).
  vitestSuite({
    name: "readme",
    summary: "every command in README.md's sh blocks is run: here (on the stack, or a throw-away one), by a suite, or by CI (vitest)",
    dir: "cli",
    args: ["--config", "vitest.readme.config.ts"],
    needs: "stack",
  }),
  // After readme, on the same stack start: it stops and restarts the four services around the
  // stores it writes, and adds 200 chains that the suites before it would have to count around.
  seedSuite,
  // Right after those, on the same stack start; each file alone, since each counts
  // the analytics numbers it moves as differences.
  vitestSuite({
    name: "e2e-load",
    summary: "500 sign-ups and 500 orders at once: every chain complete, nothing twice, analytics exact (vitest)",
    dir: "tests",
    args: ["e2e/burst/load.test.ts"],
    needs: "stack",
  }),
  vitestSuite({
    name: "e2e-faults",
    summary: "SIGTERM then SIGKILL of each service, and the broker stopped for 20 s, mid-burst: every chain complete, nothing twice (vitest)",
    dir: "tests",
    args: ["e2e/burst/faults.test.ts"],
    needs: "stack",
  }),
  vitestSuite({
    name: "e2e-scale",
    summary: "two instances of the scalable services in one group, one killed mid-burst: every chain complete, nothing twice (vitest)",
    dir: "tests",
    args: ["e2e/burst/scale.test.ts"],
    needs: "stack",
  }),
  vitestSuite({
    name: "e2e-broker-kill",
    summary: "3 brokers, the busiest one killed mid-burst, on a throw-away stack: every chain complete, nothing twice (vitest)",
    dir: "tests",
    args: ["e2e/burst/broker-kill.test.ts"],
    needs: "stack3",
  }),
];
