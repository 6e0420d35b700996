import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["http/**/*.test.ts", "poison/**/*.test.ts"],
    // One file at a time: a file that brings a service down must not fail another file's tests.
    fileParallelism: false,
    // The whole stack: a dead letter waits for three consumer groups, a chain for four services.
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
