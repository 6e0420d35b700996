import { defineConfig } from "vitest/config";

// The build check of the serialization benchmark's harnesses (`./polyglot test --suite
// bench-serialization`): each builds and runs one quick pass. Nothing about speed is judged.
export default defineConfig({
  test: {
    include: ["test-bench/**/*.test.ts"],
    // Builds may download dependencies the first time (Maven Central, the Go proxy, PyPI, npm).
    testTimeout: 600_000,
    // One harness at a time: they share 2 cores.
    fileParallelism: false,
  },
});
