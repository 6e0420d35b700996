import { describe, expect, test } from "vitest";
import type { Component } from "../../src/stack/component.js";
import { startWaves, withDependencies } from "../../src/stack/plan.js";
import { StackError } from "../../src/stack/stack-error.js";

function component(name: string, dependsOn: string[] = []): Component {
  return { name, summary: name, dependsOn, ports: () => [], process: () => ({ command: "true", args: [], cwd: "/", env: {} }), healthy: async () => true };
}

const names = (waves: Component[][]): string[][] => waves.map((w) => w.map((c) => c.name));

describe("startWaves", () => {
  test("brokers start side by side, then what depends on them", () => {
    const waves = startWaves([component("order-service", ["kafka"]), component("kafka"), component("kafka-2"), component("analytics", ["kafka", "order-service"])]);
    expect(names(waves)).toEqual([["kafka", "kafka-2"], ["order-service"], ["analytics"]]);
  });

  test("an unknown dependency names the component and what it asked for", () => {
    expect(() => startWaves([component("order-service", ["kafka"])])).toThrow(/order-service depends on kafka/);
  });

  test("a cycle is an error, not a hang", () => {
    const run = (): unknown => startWaves([component("a", ["b"]), component("b", ["a"])]);
    expect(run).toThrow(StackError);
    expect(run).toThrow(/cycle among a, b/);
  });
});

describe("withDependencies", () => {
  const all = [component("kafka"), component("smtp"), component("notification", ["kafka", "smtp"]), component("user", ["kafka"])];

  test("keeps the named components and everything they need, in registry order", () => {
    expect(withDependencies(all, ["notification"]).map((c) => c.name)).toEqual(["kafka", "smtp", "notification"]);
  });

  test("an unknown name lists the known ones", () => {
    expect(() => withDependencies(all, ["nope"])).toThrow(/unknown component nope/);
  });
});
