import { describe, expect, test } from "vitest";
import { createStackEnv, parseBrokerCount } from "../../src/stack/stack-env.js";
import { StackError } from "../../src/stack/stack-error.js";

describe("createStackEnv", () => {
  test("one broker on the contract's port by default", () => {
    expect(createStackEnv(1, {}).KAFKA_BOOTSTRAP_SERVERS).toBe("127.0.0.1:9092");
  });

  test("three brokers on 9092, 9094 and 9096", () => {
    expect(createStackEnv(3, {}).KAFKA_BOOTSTRAP_SERVERS).toBe("127.0.0.1:9092,127.0.0.1:9094,127.0.0.1:9096");
  });

  test("each broker port follows its variable", () => {
    expect(createStackEnv(3, { KAFKA_2_PORT: "19094" }).KAFKA_BOOTSTRAP_SERVERS).toBe("127.0.0.1:9092,127.0.0.1:19094,127.0.0.1:9096");
  });

  test("a service port falls back to the contract's default", () => {
    const env = createStackEnv(1, { ORDER_SERVICE_PORT: "18081" });
    expect(env.port("ORDER_SERVICE_PORT", 8081)).toBe(18081);
    expect(env.port("USER_SERVICE_PORT", 8080)).toBe(8080);
  });

  test("a port variable that is not a port names the variable", () => {
    expect(() => createStackEnv(1, { KAFKA_PORT: "90920" })).toThrow(StackError);
    expect(() => createStackEnv(1, { KAFKA_PORT: "abc" })).toThrow(/KAFKA_PORT=abc is not a port number/);
  });
});

test("--brokers takes 1 or 3 only", () => {
  expect([parseBrokerCount("1"), parseBrokerCount("3"), parseBrokerCount("2"), parseBrokerCount(undefined)]).toEqual([1, 3, undefined, undefined]);
});
