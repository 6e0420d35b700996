import { describe, expect, it } from "vitest";
import { portVariables } from "../../src/stack/test-stack.js";

describe("portVariables (the throw-away stack3 gives each one a free port)", () => {
  it("names every port the 3-broker stack listens on: brokers, controllers, metrics, services, side processes", () => {
    expect(portVariables(3)).toEqual(
      expect.arrayContaining([
        "KAFKA_PORT",
        "KAFKA_CONTROLLER_PORT",
        "KAFKA_METRICS_PORT",
        "KAFKA_2_PORT",
        "KAFKA_2_CONTROLLER_PORT",
        "KAFKA_3_PORT",
        "KAFKA_3_METRICS_PORT",
        "USER_SERVICE_PORT",
        "ORDER_SERVICE_PORT",
        "NOTIFICATION_SERVICE_PORT",
        "SMTP_SINK_PORT",
        "ANALYTICS_SERVICE_PORT",
        "PROMETHEUS_PORT",
        "ZIPKIN_PORT",
      ]),
    );
  });

  it("names only the brokers of the stack", () => {
    expect(portVariables(1)).not.toContain("KAFKA_2_PORT");
  });
});
