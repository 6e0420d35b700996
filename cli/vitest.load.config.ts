import { defineConfig } from "vitest/config";

// `./polyglot load` on the stack that `./polyglot test --suite load` provides.
export default defineConfig({
  test: {
    include: ["test-load/**/*.test.ts"],
    testTimeout: 240_000,
  },
});
