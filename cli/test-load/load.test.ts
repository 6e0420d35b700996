// `./polyglot load` as a user runs it, on the real stack: a few seconds at a low rate, then its
// counts checked against what the topics hold for the run's users (read back independently of
// the command, with the stack's own decoding), and its HTML report opened as a file. No
// assertion on speed: the figures are the machine's.
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { EventLog, type EventRecord } from "../src/events/event-log.js";
import { typePrefix, welcomeProduct } from "../src/events/chain-expectations.js";
import { suiteLoadArgs } from "../src/load/suite-command.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const bootstrap = process.env.KAFKA_BOOTSTRAP_SERVERS ?? "127.0.0.1:9092";

interface Summary {
  readonly run: string;
  readonly sent: number;
  readonly accepted: number;
  readonly completed: number;
  readonly incomplete: number;
  readonly errors: Record<string, number>;
  readonly orders: { sent: number; accepted: number; refused_422: number; completed: number; incomplete: number };
  readonly chain_ms: Record<string, number>;
  readonly http_ms: Record<string, number>;
  readonly hops: Record<string, Record<string, number>>;
  readonly cpu_ms_per_chain: Record<string, number>;
  readonly rss_mb: Record<string, number>;
  readonly report: string;
}

describe("./polyglot load on the test stack", () => {
  let summary: Summary;
  let events: EventLog;
  const startedAt = Date.now();

  beforeAll(async () => {
    // Opened first and from before the run: it sees every record the run causes.
    events = await EventLog.open(bootstrap.split(","), ["user-events", "order-events", "notification-events"]);
    const reportDir = await mkdtemp(path.join(tmpdir(), "polyglot-load-"));
    const result = await execa("./polyglot", [...suiteLoadArgs, "--report", reportDir], { cwd: root, reject: false, env: { CI: "true" }, timeout: 200_000 });
    expect(result.exitCode, `./polyglot load exited ${result.exitCode}:\n${result.stderr.slice(-3000)}\n${result.stdout.slice(-3000)}`).toBe(0);
    summary = JSON.parse(result.stdout) as Summary;
  }, 220_000);
  afterAll(() => events?.close());

  test("--json names every field the issue asks for, each latency with p50 p90 p99 p999 max", () => {
    for (const key of ["sent", "accepted", "completed", "incomplete", "chain_ms", "http_ms", "hops", "cpu_ms_per_chain", "rss_mb"]) expect(summary).toHaveProperty(key);
    for (const p of [summary.chain_ms, summary.http_ms, ...Object.values(summary.hops)]) expect(Object.keys(p)).toEqual(expect.arrayContaining(["p50", "p90", "p99", "p999", "max"]));
    for (const c of ["kafka", "user-service", "order-service", "notification-service", "analytics-service", "load generator"]) {
      expect(summary.cpu_ms_per_chain[c], c).toBeGreaterThanOrEqual(0);
      expect(summary.rss_mb[c], c).toBeGreaterThan(0);
    }
  });

  test("every sign-up sent was accepted and its chain completed; orders went only to welcomed users, none refused", () => {
    expect(summary.sent).toBe(20);
    expect(summary.errors).toEqual({});
    expect(summary).toMatchObject({ accepted: 20, completed: 20, incomplete: 0 });
    expect(summary.orders).toMatchObject({ sent: 10, accepted: 10, refused_422: 0, completed: 10, incomplete: 0 });
  });

  test("the topics hold exactly what the counts say for the run's users", async () => {
    const ofRun = (r: EventRecord): boolean => r.type === `${typePrefix}UserSignupEvent` && String(r.value?.email ?? "").startsWith(`load-${summary.run}-`);
    // The command waited for every chain: its records are on the topics; read up to them.
    let users = new Set<string>();
    const wanted = summary.completed * 3 + summary.orders.completed * 2;
    await events.waitFor(`the e-mails of the run's ${summary.completed} sign-ups and ${summary.orders.completed} orders`, (records) => {
      users = new Set(records.filter(ofRun).map((r) => r.key));
      return records.filter((r) => users.has(r.key) && r.type === `${typePrefix}EmailSentEvent`).length >= wanted;
    }, 60_000);
    const of = (type: string): EventRecord[] => events.records.filter((r) => users.has(r.key) && r.type === `${typePrefix}${type}` && (r.timestamp ?? 0) >= startedAt - 1_000);
    const distinct = (rs: EventRecord[]): number => new Set(rs.map((r) => r.headers.ce_id)).size;
    expect(users.size).toBe(summary.accepted);
    const created = of("OrderCreatedEvent");
    const welcome = created.filter((r) => ((r.value?.items ?? []) as { productId?: string }[]).some((i) => i.productId === welcomeProduct));
    expect(distinct(welcome)).toBe(summary.accepted);
    expect(distinct(created) - distinct(welcome)).toBe(summary.orders.accepted);
    expect(distinct(of("OrderShippedEvent"))).toBe(summary.completed + summary.orders.completed);
    // Three e-mails per sign-up chain (welcome, confirmation, shipping), two per order chain.
    expect(distinct(of("EmailSentEvent"))).toBe(wanted);
    // Each order was posted after its user's welcome order was on order-events.
    for (const order of created.filter((r) => !welcome.includes(r))) {
      const w = welcome.find((x) => x.key === order.key);
      expect(w?.timestamp ?? Infinity).toBeLessThanOrEqual(order.timestamp ?? 0);
    }
  });

  test("the HTML report is one file that opens offline: the chart library inlined, nothing fetched", async () => {
    const html = await readFile(summary.report, "utf8");
    expect(html).toContain("new Chart(");
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|https?:\/\/cdn/i);
  });

  test("bad input and a stack that is not up are usage errors (exit 2) with one line that says what to do", async () => {
    for (const [args, env, message] of [
      [["load", "--rate", "0"], {}, /--rate takes sign-ups per second above 0/],
      [["load", "--orders-per-signup", "-1"], {}, /--orders-per-signup takes a number from 0 to 10/],
      [["load"], { POLYGLOT_STATE_DIR: path.join(tmpdir(), "polyglot-no-stack") }, /the stack is not up: start it with \.\/polyglot up/],
    ] as const) {
      const r = await execa("./polyglot", [...args], { cwd: root, reject: false, env: { CI: "true", ...env } });
      expect(r.exitCode, `${args.join(" ")}: ${r.stderr}`).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
  });
});
