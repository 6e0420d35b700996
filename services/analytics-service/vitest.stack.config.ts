// Tests against the whole running stack (`./polyglot test` starts it: suite `analytics-stack`).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test-stack/**/*.test.ts"],
    testTimeout: 90_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
