import { defineConfig } from "vitest/config";

// `./polyglot seed` on the stack that `./polyglot test --suite seed` provides.
export default defineConfig({
  test: {
    include: ["test-seed/**/*.test.ts"],
    testTimeout: 60_000,
  },
});
