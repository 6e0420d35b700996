import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["integration/**/*.test.ts", "e2e/**/*.test.ts", "contract/**/*.test.ts"],
    // Real brokers: a produce waits for replication, a failover for a leader election.
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
