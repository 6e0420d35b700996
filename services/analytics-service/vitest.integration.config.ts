// Tests against the real broker (KAFKA_BOOTSTRAP_SERVERS) and the built service (dist/main.js).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test-integration/**/*.test.ts"],
    testTimeout: 90_000,
    hookTimeout: 60_000,
    // One file at a time: each starts a service and a rebuild; two at once only slow each other.
    fileParallelism: false,
  },
});
