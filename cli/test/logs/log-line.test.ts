// The log shapes of the four services (copied from their real logs) and the broker's log4j lines.
import { describe, expect, test } from "vitest";
import { belongsTo, containsId, parseEpoch, parseIsoTime, parseLogLine } from "../../src/logs/log-line.js";

const samples = {
  goSlog: '{"time":"2026-11-25T09:00:41.886987433Z","level":"INFO","msg":"order created","service":"order-service","order_id":"o-1","event_id":"e-1","correlation_id":"manual-1"}',
  logback: '{"@timestamp":"2026-11-25T08:55:56.962433768Z","@version":"1","message":"event published","logger_name":"dev.polyglot.user.events.UserEventPublisher","thread_name":"http-nio-8080-exec-6","level":"INFO","level_value":20000,"correlation_id":"manual-1","topic":"user-events","service":"user-service"}',
  pythonJson: '{"level": "WARNING", "logger": "notification.kafka.dispatcher", "message": "user not known yet, record parked", "service": "notification-service", "correlation_id": "corr-demo", "time": "2026-11-25T09:01:08.018246+00:00"}',
  pinoIso: '{"level":"info","time":"2026-11-25T08:55:31.902Z","service":"analytics-service","correlation_id":"manual-1","msg":"event counted"}',
  pinoDefault: '{"level":50,"time":1795597263558,"pid":7,"hostname":"h","service":"analytics-service","msg":"boom"}',
  zap: '{"level":"debug","ts":1795597263.5581234,"msg":"x","correlationId":"z-1"}',
  log4j: "[2026-11-25T09:14:23,412] INFO  [GroupCoordinator id=1] Member order-service-ac59 joined (GroupMetadataManager)",
  librdkafka: "%4|1795597263.558|GETPID|notification-service#producer-1| [thrd:main]: retrying",
};

describe("parseLogLine", () => {
  test("Go slog: RFC 3339 time with nanoseconds, msg, correlation_id", () => {
    const line = parseLogLine(samples.goSlog);
    expect(line).toMatchObject({ level: "INFO", service: "order-service", message: "order created", correlationId: "manual-1" });
    expect(line.time).toEqual({ ms: Date.UTC(2026, 10, 25, 9, 0, 41, 886), ns: 987_433 });
  });

  test("Logback's JSON encoder: @timestamp and message", () => {
    const line = parseLogLine(samples.logback);
    expect(line).toMatchObject({ level: "INFO", service: "user-service", message: "event published", correlationId: "manual-1" });
    expect(line.time).toEqual({ ms: Date.UTC(2026, 10, 25, 8, 55, 56, 962), ns: 433_768 });
  });

  test("python-json-logger: an offset instead of Z, WARNING read as WARN", () => {
    const line = parseLogLine(samples.pythonJson);
    expect(line).toMatchObject({ level: "WARN", service: "notification-service", message: "user not known yet, record parked", correlationId: "corr-demo" });
    expect(line.time).toEqual({ ms: Date.UTC(2026, 10, 25, 9, 1, 8, 18), ns: 246_000 });
  });

  test("pino with isoTime and label levels, and pino's defaults (epoch ms, numeric level)", () => {
    expect(parseLogLine(samples.pinoIso)).toMatchObject({ level: "INFO", time: { ms: Date.UTC(2026, 10, 25, 8, 55, 31, 902), ns: 0 }, correlationId: "manual-1" });
    expect(parseLogLine(samples.pinoDefault)).toMatchObject({ level: "ERROR", time: { ms: 1795597263558, ns: 0 }, message: "boom" });
  });

  test("zap-style `ts` in epoch seconds and a camelCase correlationId", () => {
    const line = parseLogLine(samples.zap);
    expect(line).toMatchObject({ level: "DEBUG", correlationId: "z-1" });
    expect(line.time?.ms).toBe(1795597263558);
  });

  test("the broker's log4j line: bracketed local time with a comma, level and message; no fields", () => {
    const line = parseLogLine(samples.log4j);
    expect(line.fields).toBeUndefined();
    expect(line.level).toBe("INFO");
    expect(line.time?.ms).toBe(new Date(2026, 10, 25, 9, 14, 23, 412).getTime());
  });

  test("other text keeps only its raw form", () => {
    expect(parseLogLine(samples.librdkafka)).toEqual({ raw: samples.librdkafka });
    expect(parseLogLine("{not json")).toEqual({ raw: "{not json" });
    expect(parseLogLine("[1,2]")).toEqual({ raw: "[1,2]" });
    const untimed = parseLogLine('{"msg":"no time"}');
    expect(untimed.message).toBe("no time");
    expect(untimed.time).toBeUndefined();
  });
});

describe("times", () => {
  test("ISO 8601 with offsets converts to UTC; without a zone it is local time", () => {
    expect(parseIsoTime("2026-11-25T10:00:00.5+01:00")).toEqual({ ms: Date.UTC(2026, 10, 25, 9, 0, 0, 500), ns: 0 });
    expect(parseIsoTime("2026-11-25T10:00:00-0130")).toEqual({ ms: Date.UTC(2026, 10, 25, 11, 30), ns: 0 });
    expect(parseIsoTime("2026-11-25 10:00:00")?.ms).toBe(new Date(2026, 10, 25, 10).getTime());
    expect(parseIsoTime("yesterday")).toBeUndefined();
  });

  test("epoch numbers are told apart by size", () => {
    const ms = Date.UTC(2026, 10, 25, 9);
    expect(parseEpoch(ms / 1000)).toEqual({ ms, ns: 0 });
    expect(parseEpoch(ms)).toEqual({ ms, ns: 0 });
    expect(parseEpoch(ms * 1000 + 5)).toEqual({ ms, ns: 5000 });
    expect(parseEpoch(ms * 1e6 + 7)).toMatchObject({ ms });
    expect(parseEpoch(42)).toBeUndefined();
  });
});

describe("belongsTo", () => {
  test("a JSON line belongs by its correlation field only, even when the id is elsewhere in it", () => {
    expect(belongsTo(parseLogLine(samples.goSlog), "manual-1")).toBe(true);
    expect(belongsTo(parseLogLine(samples.goSlog), "manual")).toBe(false);
    expect(belongsTo(parseLogLine('{"msg":"about manual-1","correlation_id":"other"}'), "manual-1")).toBe(false);
  });

  test("a text line belongs when it holds the id as a whole word", () => {
    expect(belongsTo(parseLogLine(samples.log4j), "order-service-ac59")).toBe(true);
    expect(belongsTo(parseLogLine(samples.log4j), "order-service")).toBe(false);
    expect(containsId("id=c9, next", "c9")).toBe(true);
    expect(containsId("c91d c9x", "c9")).toBe(false);
    expect(containsId("anything", "")).toBe(false);
  });
});
