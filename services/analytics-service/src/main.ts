// analytics-service: wires config, logger, aggregate, consumer, HTTP and WebSocket, and owns shutdown.
import path from "node:path";
import { pino } from "pino";
import { Aggregate } from "./analytics/aggregate.js";
import { ChainIndex } from "./analytics/chains.js";
import { consumedTopics, loadConfig } from "./config.js";
import { createHttpServer } from "./http/server.js";
import { createConsumer } from "./kafka/consumer.js";
import { createAnalyticsPublisher } from "./kafka/analytics-publisher.js";
import { createProducer, type RecordProducer } from "./kafka/producer.js";
import { Headers, headerStrings } from "./events/envelope.js";
import { handleRecord } from "./kafka/record-handler.js";
import { createBroadcast } from "./ws/broadcast.js";
import { createServiceMetrics } from "./telemetry/prometheus.js";
import { errorLine } from "./errors.js";
import { createLagReader } from "./admin/lag.js";
import { createAdminRoutes } from "./http/admin.js";
import { readOps } from "./http/ops.js";
import { activeTraceId, startTracing } from "./telemetry/tracing.js";
import { createLogDestination } from "./telemetry/log-destination.js";

async function main(): Promise<void> {
  // dist/main.js -> dist/dashboard, where `vite build` puts the dashboard.
  const config = loadConfig(process.env, path.join(import.meta.dirname, "dashboard"));
  const tracing = startTracing({ serviceName: config.otelServiceName, zipkinEndpoint: config.zipkinEndpoint });
  const logDestination = createLogDestination();
  const logger = pino({
    level: config.logLevel,
    base: { service: config.serviceName },
    // Every line written inside a span names its trace: /zipkin/traces/<trace_id>.
    mixin: () => {
      const traceId = activeTraceId();
      return traceId === undefined ? {} : { trace_id: traceId };
    },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    hooks: {
      streamWrite: (line) => {
        logDestination.wrote();
        return line;
      },
    },
  }, logDestination.stream);

  const aggregate = new Aggregate({ recentEventsLimit: config.recentEventsLimit, seenPerPartition: config.seenEventsPerPartition });
  const chains = new ChainIndex(config.chainsLimit, config.chainEventsLimit);
  let wsClients = (): number => 0;
  const serviceMetrics = createServiceMetrics({ wsClients: () => wsClients() });
  const kafkaProducer = createProducer(config);
  // Every acknowledged record counts in polyglot_events_produced_total.
  const producer: RecordProducer = {
    async send(records) {
      await kafkaProducer.send(records);
      serviceMetrics.recordsProduced(records.map((r) => ({ topic: r.topic, ceType: headerStrings(r.headers).get(Headers.type) })));
    },
    close: () => kafkaProducer.close(),
  };
  const publisher = createAnalyticsPublisher({ producer, aggregate, logger, intervalSeconds: config.metricsIntervalSeconds });
  let consumerState = (): string => "starting";
  const lag = createLagReader({
    clientId: `${config.serviceName}-admin`,
    bootstrap: config.kafkaBootstrapServers,
    groups: ["order-service", "notification-service", config.groupId],
    topics: [...consumedTopics],
  });
  const admin = createAdminRoutes({
    logger,
    user: { name: "user-service", language: "java", baseUrl: config.userServiceUrl, healthPath: "/actuator/health" },
    order: { name: "order-service", language: "go", baseUrl: config.orderServiceUrl, healthPath: "/health" },
    notification: { name: "notification-service", language: "python", baseUrl: config.notificationServiceUrl, healthPath: "/health" },
    mailSinkUrl: config.mailSinkUrl,
    lag: () => lag.read(),
  });
  const server = createHttpServer({
    admin,
    onRequest: (method, uri, status, seconds) => serviceMetrics.httpRequest(method, uri, status, seconds),
    logger,
    metrics: () => aggregate.snapshot(),
    chains,
    consumerState: () => consumerState(),
    dashboardDir: config.dashboardDir,
    traceUrl: (traceId) => `${config.zipkinUiUrl}/traces/${traceId}`,
    ops: () => readOps(config.prometheusUrl),
    prometheus: async () => ({
      contentType: serviceMetrics.registry.contentType,
      body: await serviceMetrics.registry.metrics(),
    }),
  });
  const broadcast = createBroadcast({ server, logger, metrics: () => aggregate.snapshot() });
  wsClients = broadcast.clients;
  const consumer = createConsumer({
    config,
    logger,
    onLag: (topic, partition, lag) => serviceMetrics.consumerLag(config.groupId, topic, partition, lag),
    handle: async (record, replayed) => {
      const outcome = await handleRecord(record, replayed, {
        aggregate,
        chains,
        group: config.groupId,
        publishDlq: (r) => producer.send([r]),
        onCounted: (event) => broadcast.event(event),
        now: () => new Date(),
      });
      const headers = headerStrings(record.headers);
      const timeMs = Date.parse(headers.get(Headers.time) ?? "");
      serviceMetrics.recordConsumed(record.topic, headers.get(Headers.type), outcome, Number.isNaN(timeMs) ? undefined : timeMs, replayed);
      if (outcome.kind !== "counted") return outcome;
      const { envelope } = outcome;
      for (const l of outcome.chainLatencies) serviceMetrics.chainLatency(l.ceType, l.seconds);
      const rootMs = chains.rootTimeMs(envelope.correlationId);
      // A replayed event moved counters only in this process's rebuilt state, not in the world.
      if (!replayed && outcome.changes.length > 0) {
        await publisher.updates(outcome.changes, envelope);
        if (rootMs !== undefined) {
          for (let i = 0; i < outcome.changes.length; i += 1) serviceMetrics.chainLatency("polyglot.events.v1.AnalyticsUpdate", (Date.now() - rootMs) / 1000);
        }
      }
      return outcome;
    },
  });
  consumerState = consumer.state;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.httpPort, config.httpHost, () => resolve());
  });
  logger.info({ host: config.httpHost, port: config.httpPort, brokers: config.kafkaBootstrapServers }, "analytics-service listening");
  consumer.start();
  publisher.start();

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    await broadcast.close();
    server.close();
    server.closeAllConnections();
    await consumer.close();
    await publisher.stop();
    await producer.close().catch((e: unknown) => logger.warn({ err: errorLine(e) }, "producer close failed"));
    await lag.close().catch(() => undefined);
    await tracing.shutdown().catch((e: unknown) => logger.warn({ err: errorLine(e) }, "spans not flushed"));
    logger.info("stopped");
  };
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      stop(signal).then(
        () => process.exit(0),
        (e: unknown) => {
          logger.error({ err: errorLine(e) }, "shutdown failed");
          process.exit(1);
        },
      );
    });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
