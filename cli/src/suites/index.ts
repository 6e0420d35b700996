// Every suite that `./polyglot test` runs, in order: fast unit suites first, then the ones
// that start real processes. Add a suite by adding a file beside this one and listing it here.
import { goSuite } from "./go.js";
import type { Suite } from "./suite.js";
import { vitestSuite } from "./vitest-suite.js";

export const suites: readonly Suite[] = [
  vitestSuite({ name: "cli", summary: "unit tests of the CLI (vitest)", dir: "cli" }),
  goSuite,
];
