import type { Context } from "../context.js";
import type { SuiteNeeds } from "../stack/test-stack.js";

/** What a suite run left behind: its exit code and the JUnit XML reports it wrote. */
export interface SuiteRun {
  readonly exitCode: number;
  readonly reports: readonly string[];
}

/**
 * One test suite inside `./polyglot test`. A suite runs its language's own runner and writes
 * JUnit XML into `reportDir`, which the test command sums into the closing line.
 */
export interface Suite {
  readonly name: string;
  readonly summary: string;
  /**
   * What must run while the suite runs; the test command starts it before and stops it after
   * (a stack the user already has up is reused and left up). The suite's processes find it
   * through KAFKA_BOOTSTRAP_SERVERS in their environment; never assume 9092.
   *   broker  - a Kafka broker with the contract's topics: the user's, or a throw-away one on a free port
   *   stack   - the whole stack (broker and every service) on the contract's ports
   *   broker3 - a throw-away 3-broker cluster (KAFKA_BOOTSTRAP_SERVERS lists all three; also
   *             POLYGLOT_STATE_DIR and the KAFKA_*_PORT variables, so the suite can run
   *             `./polyglot down kafka-2` / `./polyglot up --brokers 3` against it)
   *   stack3  - a throw-away whole stack with 3 brokers, every port picked by the OS (the suite gets
   *             POLYGLOT_STATE_DIR and every *_PORT variable, so it can kill and start components)
   */
  readonly needs?: SuiteNeeds;
  /**
   * What the suite runs, as a person types it from the repository root without the reporting
   * flags (e.g. `cd services/order-service && go test ./...`), built from the same arguments
   * `run` uses. The readme suite accepts a README command that is exactly one of these.
   */
  readonly commands?: readonly string[];
  run(ctx: Context, reportDir: string): Promise<SuiteRun>;
}
