import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Each test runs buf (or the generators) on the real schemas: seconds, not milliseconds.
    testTimeout: 120_000,
  },
});
