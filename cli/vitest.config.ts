import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Run by the observability suite (test/observability/vitest.config.ts): they need promtool and a stack.
    exclude: ["test/observability/**", "node_modules/**"],
  },
});
