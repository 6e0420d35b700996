// The load suite: `./polyglot load` at a low rate for a few seconds on the test stack, its counts
// checked against what the topics hold (cli/test-load/). It declares the load command it runs,
// so README.md may show it.
import { suiteLoadCommand } from "../load/suite-command.js";
import type { Suite } from "./suite.js";
import { vitestSuite } from "./vitest-suite.js";

export const loadSuite: Suite = vitestSuite({
  name: "load",
  summary: "./polyglot load for 4 s at 5 sign-ups/s on the stack: every chain complete, its counts equal what the topics hold, the HTML report self-contained (vitest)",
  dir: "cli",
  args: ["--config", "vitest.load.config.ts"],
  needs: "stack",
  runs: [suiteLoadCommand],
});
