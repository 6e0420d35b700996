// The observability suite's tests (./polyglot test --suite observability): promtool on the
// configuration and rules under infra/prometheus/, and checks against a running stack. They
// are kept out of the cli suite, which must not need Prometheus or a stack.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  root: path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", ".."),
  test: {
    include: ["test/observability/**/*.test.ts"],
    // The stack checks wait on scrapes (every 5 s) with their own bounded deadlines.
    testTimeout: 60_000,
  },
});
