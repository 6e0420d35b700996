// The seed suite: `./polyglot seed --chains 200` on the test stack, then the services' own APIs,
// the SMTP sink and analytics-service's counts checked for the seeded chains (cli/test-seed/).
// It declares the command it runs, so README.md may show it.
import type { Suite } from "./suite.js";
import { vitestSuite } from "./vitest-suite.js";

/** What the suite runs (cli/test-seed/seed.test.ts), as README.md shows it. */
export const suiteSeedCommand = "./polyglot seed --chains 200";

export const seedSuite: Suite = vitestSuite({
  name: "seed",
  summary: "./polyglot seed --chains 200 on the stack: user-service, order-service, notification-service, the SMTP sink and analytics answer for the seeded chains; a later sign-up still completes (vitest)",
  dir: "cli",
  args: ["--config", "vitest.seed.config.ts"],
  needs: "stack",
  runs: [suiteSeedCommand],
});
