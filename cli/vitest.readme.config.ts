import { defineConfig } from "vitest/config";

// README.md's commands, run: `./polyglot test --suite readme` provides the stack they run on.
export default defineConfig({
  test: {
    include: ["test-readme/**/*.test.ts"],
    testTimeout: 200_000,
    hookTimeout: 180_000,
  },
});
