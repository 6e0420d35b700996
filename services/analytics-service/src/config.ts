// Configuration of analytics-service, read from the environment once at start-up.
import path from "node:path";
import { AnalyticsError } from "./errors.js";

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

export interface Config {
  readonly serviceName: string;
  readonly kafkaBootstrapServers: readonly string[];
  /** Consumer group id; the service name unless a test isolates itself. */
  readonly groupId: string;
  readonly httpHost: string;
  readonly httpPort: number;
  readonly logLevel: LogLevel;
  /** Where the service would keep state on disk; the aggregate is rebuilt from the log, so unused yet. */
  readonly dataDir: string;
  /** Where the built dashboard (Vite output) is served from. */
  readonly dashboardDir: string;
  /** How many events `recentEvents` and the activity feed keep. */
  readonly recentEventsLimit: number;
  /** How many correlation chains the chain index keeps (oldest dropped first). */
  readonly chainsLimit: number;
  /** How many events of one chain the chain index keeps. */
  readonly chainEventsLimit: number;
  /** How many event ids per topic partition are remembered for exactly-once counting. */
  readonly seenEventsPerPartition: number;
  /** How often MetricsCollected is published to analytics-events. */
  readonly metricsIntervalSeconds: number;
  /** How long a handled record may wait for its offset commit (see CommitBatcher). */
  readonly commitIntervalMs: number;
  /** The other services, for the dashboard's admin panel. */
  readonly userServiceUrl: string;
  readonly orderServiceUrl: string;
  readonly notificationServiceUrl: string;
  /** The SMTP sink (Mailpit): its API for the admin panel's mail list, and its web UI. */
  readonly mailSinkUrl: string;
  /** Where spans go (Zipkin's v2 intake). */
  readonly zipkinEndpoint: string;
  /** Zipkin's UI, for the chain view's link to a trace. */
  readonly zipkinUiUrl: string;
  /** Prometheus, for the Operations view. */
  readonly prometheusUrl: string;
  /** Zipkin's localEndpoint.serviceName. */
  readonly otelServiceName: string;
}

export const consumedTopics = ["user-events", "order-events", "notification-events"] as const;
export type ConsumedTopic = (typeof consumedTopics)[number];

const logLevels: readonly LogLevel[] = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

/**
 * Parses the environment into a frozen Config. Every bad variable is collected first, so one
 * error names them all instead of failing on the first.
 */
export function loadConfig(env: NodeJS.ProcessEnv, defaultDashboardDir: string): Config {
  const problems: string[] = [];
  const read = (name: string, fallback: string): string => {
    const value = env[name]?.trim();
    return value === undefined || value === "" ? fallback : value;
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name, String(fallback));
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name}=${raw} (an integer from ${min} to ${max})`);
      return fallback;
    }
    return value;
  };

  const url = (name: string, fallback: string): string => {
    const raw = read(name, fallback).replace(/\/+$/, "");
    if (!URL.canParse(raw) || !/^https?:$/.test(new URL(raw).protocol)) problems.push(`${name}=${raw} (an http:// URL)`);
    return raw;
  };

  const brokers = read("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  for (const broker of brokers) {
    if (!/^[^:\s]+:\d{1,5}$/.test(broker)) problems.push(`KAFKA_BOOTSTRAP_SERVERS has ${broker} (host:port expected)`);
  }
  if (brokers.length === 0) problems.push("KAFKA_BOOTSTRAP_SERVERS is empty");

  const logLevel = read("LOG_LEVEL", "info").toLowerCase();
  if (!logLevels.includes(logLevel as LogLevel)) problems.push(`LOG_LEVEL=${logLevel} (one of ${logLevels.join(", ")})`);

  const config: Config = {
    serviceName: "analytics-service",
    kafkaBootstrapServers: brokers,
    groupId: read("KAFKA_GROUP_ID", "analytics-service"),
    httpHost: read("HTTP_HOST", "127.0.0.1"),
    httpPort: int("HTTP_PORT", 3000, 0, 65535),
    logLevel: logLevel as LogLevel,
    dataDir: path.resolve(read("DATA_DIR", path.join(".polyglot", "data"))),
    dashboardDir: path.resolve(read("DASHBOARD_DIR", defaultDashboardDir)),
    recentEventsLimit: int("ANALYTICS_RECENT_EVENTS", 50, 1, 10_000),
    chainsLimit: int("ANALYTICS_MAX_CHAINS", 1000, 1, 1_000_000),
    chainEventsLimit: int("ANALYTICS_MAX_CHAIN_EVENTS", 500, 1, 100_000),
    seenEventsPerPartition: int("ANALYTICS_SEEN_EVENTS_PER_PARTITION", 50_000, 1, 10_000_000),
    metricsIntervalSeconds: int("ANALYTICS_METRICS_INTERVAL_SECONDS", 60, 1, 86_400),
    commitIntervalMs: int("ANALYTICS_COMMIT_INTERVAL_MS", 1000, 0, 60_000),
    userServiceUrl: url("USER_SERVICE_URL", "http://127.0.0.1:8080"),
    orderServiceUrl: url("ORDER_SERVICE_URL", "http://127.0.0.1:8081"),
    notificationServiceUrl: url("NOTIFICATION_SERVICE_URL", "http://127.0.0.1:8000"),
    mailSinkUrl: url("MAIL_SINK_URL", "http://127.0.0.1:8025"),
    zipkinEndpoint: url("ZIPKIN_ENDPOINT", "http://127.0.0.1:9411/api/v2/spans"),
    zipkinUiUrl: url("ZIPKIN_UI_URL", "http://127.0.0.1:9411/zipkin"),
    prometheusUrl: url("PROMETHEUS_URL", "http://127.0.0.1:9090"),
    otelServiceName: read("OTEL_SERVICE_NAME", "analytics-service"),
  };
  if (problems.length > 0) {
    throw new AnalyticsError("CONFIG_INVALID", `invalid environment: ${problems.join("; ")}`);
  }
  return Object.freeze({ ...config, kafkaBootstrapServers: Object.freeze([...brokers]) });
}
