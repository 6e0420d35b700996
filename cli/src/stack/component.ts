// The contract between the stack runner and every process of the stack (the broker, the four
// services, the SMTP sink, Prometheus, ...). A component says how it is built, started and
// health-checked, and what it needs running first; the runner (`up`, `down`, `status`, `logs`)
// does the rest: ports checked free, spawn detached in its own process group, stdout+stderr to
// `.polyglot/logs/<name>.log`, pid to `.polyglot/run/<name>.pid`, health polled with a bounded
// timeout, SIGTERM then SIGKILL on `down`.
//
// A component lives in one file `cli/src/stack/components/<name>.ts` and is listed in
// `cli/src/stack/components/index.ts`.

/** How to start one process. The runner adds `env` to the CLI's own environment (PATH included). */
export interface ProcessSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
}

/** What the stack was started with: the broker count and the environment that overrides ports. */
export interface StackEnv {
  /** 1 (default) or 3 (`./polyglot up --brokers 3`). */
  readonly brokers: 1 | 3;
  /** The value every Kafka client gets, e.g. `127.0.0.1:9092` or `127.0.0.1:9092,127.0.0.1:9094,127.0.0.1:9096`. */
  readonly KAFKA_BOOTSTRAP_SERVERS: string;
  /**
   * A port from its environment variable (e.g. `ORDER_SERVICE_PORT`) or the contract's default.
   * Throws a StackError naming the variable when it is set but not a port number.
   * Convention: `<COMPONENT_NAME>_PORT`, upper case, dashes as underscores.
   */
  port(variable: string, fallback: number): number;
  /** The environment `up` ran in, for a component's own optional settings (read at `up` only). */
  readonly vars: Readonly<Record<string, string | undefined>>;
}

/** Shows what a long step is doing (one line, replaced on each update; plain lines under CI=true). */
export interface Progress {
  update(message: string): void;
}

/** A build or install command run by `prepare` (mvn, go build, pip install, npm ci, ...). */
export interface ExecStep {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env?: Readonly<Record<string, string>>;
  /** What to do next when it fails, e.g. "check the network, then run ./polyglot up again". */
  readonly hint?: string;
}

export interface StackContext {
  /** The repository root. */
  readonly root: string;
  /** `.polyglot/` (or POLYGLOT_STATE_DIR). */
  readonly stateDir: string;
  /** True under CI=true. */
  readonly ci: boolean;
  readonly env: StackEnv;
  readonly progress: Progress;
  /** `.polyglot/data/<component>`, created before `process` is called: pass it as `DATA_DIR`. */
  dataDir(component: string): string;
  /** `.polyglot/logs/<component>.log`. */
  logFile(component: string): string;
  /**
   * Runs a build/install command, showing its latest output line as progress. On failure it
   * throws a StackError with the command, the tail of its output and the step's `hint`.
   */
  exec(step: ExecStep): Promise<void>;
}

/** One process of the stack. */
export interface Component {
  /** `kafka`, `user-service`, ...: also the name for `./polyglot logs NAME` and the log/pid file names. */
  readonly name: string;
  /** One line for `status`, e.g. `order-service (Go)`. */
  readonly summary: string;
  /**
   * Names of the components that must be healthy (and `ready`) before this one starts.
   * Components whose dependencies are met are started side by side.
   */
  readonly dependsOn: readonly string[];
  /**
   * Those of `dependsOn` it does not wait for at start: it starts beside them because it copes
   * with their absence for a while (user-service's outbox keeps events until the broker answers).
   * They are still started with it (`up --only`) and stopped after it (`down`).
   */
  readonly startsBeside?: readonly string[];
  /** The ports it listens on; each is checked free before start (a taken one names its holder). */
  ports(env: StackEnv): readonly number[];
  /** Shown by `status`, e.g. `http://127.0.0.1:8081`. */
  url?(env: StackEnv): string;
  /** Installs/builds what is missing; idempotent and quick when nothing changed. Independent ones run side by side. */
  prepare?(ctx: StackContext): Promise<void>;
  /** How to start it. */
  process(ctx: StackContext): ProcessSpec;
  /** One health probe (return false, do not throw, while it is not up yet); the runner polls it. */
  healthy(ctx: StackContext): Promise<boolean>;
  /** Runs once after it is healthy, before its dependents start (the broker creates the topics here). */
  ready?(ctx: StackContext): Promise<void>;
  /** Extra lines for `status` while it is healthy (the broker lists its topics). */
  describe?(ctx: StackContext): Promise<readonly string[]>;
  /** How long `up` waits for health before it gives up (default 60 s). */
  readonly startTimeoutMs?: number;
  /** How long `down` waits after SIGTERM before SIGKILL (default 15 s). */
  readonly stopTimeoutMs?: number;
  /**
   * True when several instances may run side by side in one consumer group:
   * `./polyglot up --scale NAME=N` (N up to 9) then runs NAME plus `NAME-2` ... `NAME-N`.
   * Each extra instance gets its own log, pid file, data dir and HTTP port; see instances.ts.
   * A scalable component must:
   * - read its HTTP port only as `env.port("<NAME>_PORT", default)` (the runner's convention):
   *   inside instance i that answers `<NAME>_<i>_PORT` or the default + 100 * (i - 1);
   * - pass `ctx.dataDir(NAME)` as DATA_DIR (inside instance i it is `.polyglot/data/NAME-i`);
   * - use a consumer group id that does not depend on the instance (the service name), so
   *   that every instance joins the same group; POLYGLOT_INSTANCE (`NAME-i`, set on instances
   *   i > 1) may go into a client id or log field.
   */
  readonly scalable?: boolean;
  /** Set by the runner on instance i > 1 of a scalable component (the base's name); never by a component. */
  readonly instanceOf?: string;
}
