import { defineConfig } from "vitest/config";

// Tests of the CLI against a real broker: `./polyglot test --suite cli-integration` starts one.
export default defineConfig({
  test: {
    include: ["test-integration/**/*.test.ts"],
    testTimeout: 60_000,
  },
});
