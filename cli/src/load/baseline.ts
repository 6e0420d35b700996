// The floor a chain's latency is compared with: Kafka's own EndToEndLatency tool
// (org.apache.kafka.tools.EndToEndLatency, in kafka-tools on the classpath `up` resolves) on a
// throw-away topic of the same broker, one producer -> consumer hop at a time.
import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import type { Context } from "../context.js";
import { classpathFile } from "../stack/kafka/classpath.js";
import { javaCommand } from "../stack/kafka/storage.js";
import { createAdmin } from "../stack/kafka/topics.js";

export interface Baseline {
  readonly records: number;
  readonly avg_ms: number;
  readonly p50_ms: number;
  readonly p99_ms: number;
  readonly p999_ms: number;
}

/** Hops on the sign-up chain's critical path that a consumer reads: sign-up -> OrderCreated -> OrderShipped -> EmailSent -> AnalyticsUpdate. */
export const criticalPathHops = 4;

/** Reads the tool's closing lines: `Avg latency: 1.2345 ms` and `Percentiles: 50th = 1, 99th = 3, 99.9th = 9`. */
export function parseEndToEndLatency(output: string, records: number): Baseline | undefined {
  const avg = /Avg latency:\s*([\d.]+)\s*ms/.exec(output);
  const pct = /50th\s*=\s*([\d.]+),\s*99th\s*=\s*([\d.]+),\s*99\.9th\s*=\s*([\d.]+)/.exec(output);
  if (avg === null || pct === null) return undefined;
  return { records, avg_ms: Math.round(Number(avg[1]) * 100) / 100, p50_ms: Number(pct[1]), p99_ms: Number(pct[2]), p999_ms: Number(pct[3]) };
}

async function listGroups(bootstrap: string): Promise<Set<string>> {
  const admin = createAdmin(bootstrap, "polyglot-load");
  try {
    return new Set((await admin.listGroups()).keys());
  } catch {
    return new Set();
  } finally {
    await admin.close().catch(() => undefined);
  }
}

/** Runs the tool (about 10 s on 2 cores, most of it the JVM starting) and deletes its topic. */
export async function endToEndBaseline(ctx: Context, bootstrap: string, records = 1_000): Promise<Baseline> {
  const classpath = (await readFile(classpathFile(ctx.root), "utf8").catch(() => "")).trim();
  if (classpath === "") throw new Error(`no Kafka classpath in ${classpathFile(ctx.root)}: ./polyglot up writes it`);
  const topic = `polyglot-load-e2e-${randomUUID().slice(0, 8)}`;
  const groupsBefore = await listGroups(bootstrap);
  try {
    const result = await execa(
      javaCommand(process.env),
      [
        "-cp",
        classpath,
        `-Dlog4j2.configurationFile=${path.join(ctx.root, "infra", "kafka", "log4j2-tools.xml")}`,
        "org.apache.kafka.tools.EndToEndLatency",
        "--bootstrap-server",
        bootstrap.split(",")[0] ?? bootstrap,
        "--topic",
        topic,
        "--num-records",
        String(records),
        "--producer-acks",
        "all",
        "--record-size",
        "200",
      ],
      { all: true, reject: false, timeout: 120_000, stdin: "ignore" },
    );
    const parsed = parseEndToEndLatency(result.all ?? "", records);
    if (parsed === undefined) throw new Error(`EndToEndLatency printed no latency (exit ${result.exitCode}): ${(result.all ?? "").slice(-500)}`);
    return parsed;
  } finally {
    // The tool leaves its topic and its consumer group (test-group-<millis>) behind: both go.
    const admin = createAdmin(bootstrap, "polyglot-load");
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    const left = [...(await listGroups(bootstrap))].filter((g) => /^test-group-\d+$/.test(g) && !groupsBefore.has(g));
    if (left.length > 0) await admin.deleteGroups({ groups: left }).catch(() => undefined);
    await admin.close().catch(() => undefined);
  }
}
