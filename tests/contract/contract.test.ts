// Cross-language contract tests (../_notes design, issue 11): the real producing services,
// driven over HTTP, write every message type of user-, order- and notification-events; each
// consuming service's real consumer (its contract probe, a recording handler in place of its
// business step) must hand every record, and a newer-schema twin of each, to its handler with
// exactly the view its expectation module computes from the reference decode, and dead-letter
// none. One test per producer -> consumer pair, plus the producer side per producing service.
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { JsonValue } from "@bufbuild/protobuf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventLog, type EventRecord } from "../../cli/src/events/event-log.js";
import { waitForQuiet } from "../../cli/src/events/settle.js";
import { waitUntil } from "../../cli/src/wait.js";
import { stackUrls } from "../e2e/stack-urls.js";
import { createAdmin, createProducer } from "../support/kafka.js";
import { consumers } from "./consumers/index.js";
import { newerSchemaTwin, twinConsequences } from "./newer-schema.js";
import { caughtUp, endOffsets, uncommitted } from "./offsets.js";
import { checkChains, checkNotificationEvents, checkOrderEvents, checkUserEvents } from "./producer-checks.js";
import { pairsOf, producers, type Pair } from "./producers.js";
import { startProbe, type RunningProbe } from "./probes.js";
import { runScenario, stepMatches, type ContractRun } from "./scenario.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const topics = [...new Set(consumers.flatMap((c) => c.topics))];
const dlqTopics = topics.map((t) => `${t}.dlq`);
const pairs = pairsOf(consumers);
/** How long a probe may take to print a record's line once the record is on the broker. */
const lineTimeoutMs = 60_000;

const urls = stackUrls();
const bootstrap = urls.bootstrap.join(",");
let events: EventLog;
let dlq: EventLog;
const admin = createAdmin();
const probes = new Map<string, RunningProbe>();
let run: ContractRun;
/** Per topic: the records the scenario caused, then their newer-schema twins. */
const produced = new Map<string, EventRecord[]>();
const twins = new Map<string, EventRecord[]>();
beforeAll(async () => {
  events = await EventLog.open(urls.bootstrap, Object.keys(producers));
  dlq = await EventLog.open(urls.bootstrap, dlqTopics);
  // Started first: each builds (a compile) while the scenario runs; probes read from the first offset anyway.
  const started = Promise.all(consumers.map(async (c) => probes.set(c.service, await startProbe(root, c, bootstrap))));
  // Awaited below; until then a failed build must not count as an unhandled rejection.
  started.catch(() => undefined);
  run = await runScenario(urls, events);
  // The checks say "exactly one" of each step: judged once the services have drained and the
  // reader has read to the end, so a late second copy is among what they see.
  await waitForQuiet({ reader: events, timeoutMs: 60_000 });
  const ids = new Set([run.signup, run.update, run.paid, run.declined].map((c) => c.correlationId));
  for (const topic of Object.keys(producers)) {
    produced.set(topic, events.records.filter((r) => r.topic === topic && ids.has(r.headers.ce_correlationid ?? "")));
  }

  // One newer-schema twin per type of each topic a consumer reads, from a real record of that type.
  const producer = createProducer();
  try {
    const sent: { topic: string; eventId: string }[] = [];
    for (const topic of topics) {
      for (const type of producers[topic]!.types) {
        const original = produced.get(topic)?.find((r) => r.type === type);
        if (original === undefined) throw new Error(`the scenario produced no ${type} on ${topic}`);
        const { message, ids: twinIds } = newerSchemaTwin(original, producers[topic]!.service);
        await producer.send({ messages: [message] });
        sent.push({ topic, eventId: twinIds.eventId });
      }
    }
    await events.waitFor("the newer-schema records, read back", (rs) => sent.every((s) => rs.some((r) => r.headers.ce_id === s.eventId)), 30_000);
    for (const topic of topics) {
      const mine = new Set(sent.filter((s) => s.topic === topic).map((s) => s.eventId));
      twins.set(topic, events.records.filter((r) => mine.has(r.headers.ce_id ?? "")));
    }
  } finally {
    await producer.close();
  }
  await started;
}, 600_000);

/**
 * The real services read the newer-schema records too and act on them (a welcome order for the
 * twin sign-up, e-mails again): waits until they have, and have committed everything, so the
 * suites after this one on the same stack start from a quiet system.
 */
async function waitForQuietStack(): Promise<void> {
  const sent = [...twins.values()].flat();
  await events.waitFor(
    "what the real services do with the newer-schema records",
    () => sent.every((twin) => twinConsequences(twin.type).every((step) => events.chain(twin.headers.ce_id ?? "").some((r) => stepMatches(r, step)))),
    60_000,
  );
  await waitForQuiet({ bootstrap, timeoutMs: 60_000 });
}

afterAll(async () => {
  if (twins.size > 0) await waitForQuietStack();
  const exits = await Promise.all([...probes.values()].map(async (p) => [p.consumer.service, await p.stop()] as const));
  await events?.close();
  await dlq?.close();
  await admin.close();
  for (const [service, exit] of exits) expect(exit, `${service} probe on SIGTERM`).toBe("exited with 0");
}, 180_000);

/** The closest line a probe printed for the record's event id, to show the difference. */
function closest(probe: RunningProbe, record: EventRecord): JsonValue | undefined {
  const id = record.headers.ce_id;
  return probe.lines.find((l) => l.type === record.type && JSON.stringify(l.view).includes(`"${id}"`))?.view;
}

async function expectHandled(pair: Pair, records: readonly EventRecord[], what: string): Promise<number> {
  const probe = probes.get(pair.consumer.service)!;
  let checked = 0;
  for (const record of records) {
    const expected = pair.consumer.expectedView(record);
    if (expected === undefined) continue;
    checked += 1;
    const seen = await probe.waitFor(record.type, expected, lineTimeoutMs);
    if (!seen) {
      const label = `${pair.consumer.service} did not hand ${what} ${record.type} ${record.headers.ce_id} (${record.topic}[${record.partition}]@${record.offset}) to its handler as expected`;
      // toEqual prints the field-by-field difference against the nearest line it printed.
      expect(closest(probe, record) ?? `no line for event ${record.headers.ce_id} within ${lineTimeoutMs / 1000} s`, label).toEqual(expected);
      expect.unreachable(label);
    }
  }
  return checked;
}

/** Once the probe's group committed all its topics (it has seen every record): nothing of its group in a .dlq. */
async function expectNothingDeadLettered(pair: Pair): Promise<void> {
  const probe = probes.get(pair.consumer.service)!;
  let behind: string[] = [];
  await waitUntil(
    `${pair.consumer.service} probe's group ${probe.group} to commit ${pair.consumer.topics.join(", ")} to their end`,
    async () => {
      behind = await uncommitted(admin, probe.group, pair.consumer.topics);
      return behind.length === 0;
    },
    60_000,
  ).catch((e: unknown) => {
    throw new Error(`${e instanceof Error ? e.message : String(e)}; behind: ${behind.join(", ")}`);
  });
  const ends = await endOffsets(admin, dlqTopics);
  await dlq.waitFor("the .dlq topics, read to their end", (rs) => caughtUp(rs, ends), 30_000);
  const dead = dlq.records.filter((r) => r.headers["dlq.group"] === probe.group);
  expect(
    dead.map((r) => `${r.headers["dlq.topic"]}@${r.headers["dlq.offset"]} ${r.type}: ${r.headers["dlq.reason"]} ${r.headers["dlq.error"]}`),
    `records ${pair.consumer.service} dead-lettered`,
  ).toEqual([]);
}

describe("contract: the producers write what their HTTP calls said", () => {
  it("Java user-service writes user-events: key, headers, sign-up and profile change fields", () => {
    expect(checkChains(run, events, "user-events").length).toBeGreaterThan(0);
    checkUserEvents(run, events);
  });
  it("Go order-service writes order-events: key, headers, causes, exact money, statuses, saga times", () => {
    expect(checkChains(run, events, "order-events").length).toBeGreaterThan(0);
    checkOrderEvents(run, events);
  });
  it("Python notification-service writes notification-events: key, headers, causes, e-mails and SMS", () => {
    expect(checkChains(run, events, "notification-events").length).toBeGreaterThan(0);
    checkNotificationEvents(run, events);
  });
});

describe("contract: each consumer hands every record to its handler as produced", () => {
  for (const pair of pairs) {
    it(pair.title, async () => {
      const fromProducer = produced.get(pair.topic) ?? [];
      const types = new Set(fromProducer.map((r) => r.type));
      expect([...types].sort(), `types the scenario made ${pair.producer.service} write`).toEqual([...pair.producer.types].sort());
      const handled = await expectHandled(pair, fromProducer, "the record");
      const handledTwins = await expectHandled(pair, twins.get(pair.topic) ?? [], "the newer-schema record");
      expect(handled + handledTwins, `records of ${pair.topic} ${pair.consumer.service} hands to a handler`).toBeGreaterThan(0);
      await expectNothingDeadLettered(pair);
      expect(probes.get(pair.consumer.service)!.strayLines, `${pair.consumer.service} probe's stdout lines that are not {type, view}`).toEqual([]);
    });
  }
});
