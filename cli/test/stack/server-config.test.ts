import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { renderServerProperties, renderTemplate } from "../../src/stack/kafka/server-config.js";

const template = readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../infra/kafka/server.properties.template"), "utf8");

function properties(text: string): Map<string, string> {
  const entries = text
    .split("\n")
    .filter((l) => l.trim() !== "" && !l.startsWith("#"))
    .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)] as [string, string]);
  return new Map(entries);
}

describe("infra/kafka/server.properties.template", () => {
  const broker2of3 = properties(
    renderServerProperties(template, {
      nodeId: 2,
      port: 9094,
      controllerPort: 9095,
      voters: "1@127.0.0.1:9093,2@127.0.0.1:9095,3@127.0.0.1:9097",
      logDir: "/tmp/kafka-2/data",
      replicationFactor: 3,
      minInsyncReplicas: 2,
    }),
  );

  test("runs broker and controller in one KRaft process", () => {
    expect(broker2of3.get("process.roles")).toBe("broker,controller");
    expect(broker2of3.get("node.id")).toBe("2");
    expect(broker2of3.get("controller.quorum.voters")).toBe("1@127.0.0.1:9093,2@127.0.0.1:9095,3@127.0.0.1:9097");
    expect(broker2of3.get("listeners")).toBe("PLAINTEXT://127.0.0.1:9094,CONTROLLER://127.0.0.1:9095");
  });

  test("never auto-creates topics; replicates to 3 with min ISR 2 on three brokers", () => {
    expect(broker2of3.get("auto.create.topics.enable")).toBe("false");
    expect(broker2of3.get("default.replication.factor")).toBe("3");
    expect(broker2of3.get("min.insync.replicas")).toBe("2");
    expect(broker2of3.get("offsets.topic.replication.factor")).toBe("3");
  });

  test("leaves no placeholder unfilled", () => {
    expect([...broker2of3.values()].filter((v) => v.includes("${"))).toEqual([]);
  });
});

test("a placeholder the CLI does not know is an error", () => {
  expect(() => renderTemplate("a=${b.c}", {})).toThrow(/\$\{b\.c\}/);
});
