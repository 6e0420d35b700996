import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.js";

describe("loadConfig", () => {
  it("uses the contract's defaults", () => {
    const c = loadConfig({}, "/srv/dashboard");
    expect(c).toMatchObject({
      kafkaBootstrapServers: ["127.0.0.1:9092"],
      groupId: "analytics-service",
      httpPort: 3000,
      logLevel: "info",
      dashboardDir: "/srv/dashboard",
    });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it("reads the shared vocabulary", () => {
    const c = loadConfig({ KAFKA_BOOTSTRAP_SERVERS: "127.0.0.1:9092, 127.0.0.1:9094", HTTP_PORT: "3100", LOG_LEVEL: "DEBUG" }, "/d");
    expect(c).toMatchObject({ kafkaBootstrapServers: ["127.0.0.1:9092", "127.0.0.1:9094"], httpPort: 3100, logLevel: "debug" });
  });

  it("names every bad variable in one error", () => {
    expect(() => loadConfig({ HTTP_PORT: "http", LOG_LEVEL: "loud", KAFKA_BOOTSTRAP_SERVERS: "nohost" }, "/d")).toThrow(
      /HTTP_PORT=http.*KAFKA_BOOTSTRAP_SERVERS has nohost.*LOG_LEVEL=loud|KAFKA_BOOTSTRAP_SERVERS has nohost.*LOG_LEVEL=loud.*HTTP_PORT=http/,
    );
  });
});
