// One load run against a running stack: sign-ups at a constant arrival rate (./schedule.ts),
// orders for users whose welcome order was seen, every chain followed on the topics to its end
// (./chain-follower.ts), the components' CPU and memory (./resource-sampler.ts) and the groups'
// lag (./lag-sampler.ts) sampled throughout. Returns what it measured; prints nothing but the
// progress lines it hands to `progress`.
import { randomUUID } from "node:crypto";
import { availableParallelism, loadavg } from "node:os";
import { Worker } from "node:worker_threads";
import { orderChainOf, signupChainOf } from "../events/chain-expectations.js";
import type { Baseline } from "./baseline.js";
import { criticalPathHops } from "./baseline.js";
import { perChain, readBrokerCounters } from "./broker-traffic.js";
import { ChainFollower, type CompletedChain, type TrackedChain } from "./chain-follower.js";
import { LagSampler } from "./lag-sampler.js";
import { ordersOfUser } from "./options.js";
import { LatencyHistogram } from "./percentiles.js";
import { ResourceSampler, generatorName, type ComponentProcess } from "./resource-sampler.js";
import type { LoadResult } from "./result.js";
import type { SenderCommand, SenderInput, SenderMessage } from "./sender-worker.js";
import { Timeline } from "./timeline.js";
import { errorKind, placeOrder, type Answer } from "./traffic.js";

export interface LoadTarget {
  readonly userUrl: string;
  readonly orderUrl: string;
  readonly bootstrap: string;
  /** The stack's components and their process groups, for CPU and memory. */
  readonly components: readonly ComponentProcess[];
  /** Each broker's metrics endpoint (JMX exporter), for records and requests per chain. */
  readonly brokerMetricsUrls: readonly string[];
}

export interface RunLoadOptions {
  readonly rate: number;
  readonly durationS: number;
  readonly ordersPerSignup: number;
  readonly drainS: number;
  /** Ctrl-C: stop sending, drain briefly, return what was measured. */
  readonly signal: AbortSignal;
  readonly baseline?: Baseline;
  /** One line about every second while it runs. */
  readonly progress?: (line: string) => void;
}

/** How long the drain lasts at most after Ctrl-C: "drains briefly". */
const interruptedDrainMs = 5_000;

const epochNow = (): number => performance.timeOrigin + performance.now();
const round1 = (n: number): number => Math.round(n * 10) / 10;

export async function runLoad(target: LoadTarget, o: RunLoadOptions): Promise<LoadResult> {
  const startedAt = new Date();
  const wallStart = performance.now();
  const run = randomUUID().slice(0, 8);
  const signupSteps = signupChainOf();
  const orderSteps = orderChainOf();
  // Records from before this run are read past undecoded; a second of slack for clocks.
  const follower = await ChainFollower.open(target.bootstrap, Date.now() - 1_000);
  const resources = new ResourceSampler(target.components);
  const lags = new LagSampler(target.bootstrap);
  const brokerBefore = await readBrokerCounters(target.brokerMetricsUrls);
  await resources.start();
  lags.start();

  const http = new LatencyHistogram();
  const chains = new LatencyHistogram();
  const orderChains = new LatencyHistogram();
  const hops = new Map<string, LatencyHistogram>();
  const errors: Record<string, number> = {};
  const counts = { sent: 0, accepted: 0, completed: 0, ordersSent: 0, ordersAccepted: 0, refused422: 0, ordersCompleted: 0, faulty: 0 };
  const inFlight = new Set<Promise<void>>();
  const userOf = new Map<string, { i: number; userId: string }>();
  let timeline: Timeline | undefined;
  const count = Math.max(1, Math.round(o.rate * o.durationS));

  const keep = (p: Promise<void>): void => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  };
  const failed = (a: Answer): void => {
    const kind = errorKind(a);
    errors[kind] = (errors[kind] ?? 0) + 1;
  };
  const onCompleted = (c: CompletedChain): void => {
    (c.chain.kind === "sign-up" ? chains : orderChains).record(c.chainMs);
    if (c.chain.kind === "sign-up") counts.completed++;
    else counts.ordersCompleted++;
    if (c.problems.length > 0) counts.faulty++;
    timeline?.addCompleted(c.endMs, c.chainMs);
    for (const h of c.hops) {
      let histogram = hops.get(h.name);
      if (histogram === undefined) hops.set(h.name, (histogram = new LatencyHistogram()));
      histogram.record(h.ms);
    }
  };

  const order = (userId: string): void => {
    const correlationId = randomUUID();
    const chain: TrackedChain = { kind: "order", correlationId, steps: orderSteps, sentAtMs: epochNow() };
    follower.track(chain);
    counts.ordersSent++;
    keep(
      placeOrder(target.orderUrl, userId, correlationId, randomUUID()).then((a) => {
        http.record(a.ms);
        if (a.status === 201 || a.status === 202) {
          counts.ordersAccepted++;
          follower.setKey(correlationId, userId);
          return;
        }
        follower.drop(correlationId);
        if (a.status === 422) counts.refused422++;
        else failed(a);
      }),
    );
  };

  const poll = (): void => {
    const update = follower.poll();
    for (const c of update.completed) onCompleted(c);
    // The user is known to order-service once its welcome order stands on order-events.
    for (const w of update.welcomed) {
      const user = userOf.get(w.correlationId);
      if (user === undefined || o.signal.aborted) continue;
      for (let n = ordersOfUser(user.i, o.ordersPerSignup); n > 0; n--) order(user.userId);
    }
  };
  const poller = setInterval(poll, 100);

  const progressLine = (phase: string): string => {
    const lag = lags.latest;
    const inflight = follower.pending;
    return `${phase} ${((performance.now() - wallStart) / 1000).toFixed(0)}s: sent ${counts.sent}, accepted ${counts.accepted}, completed ${counts.completed}${counts.ordersSent > 0 ? ` (+${counts.ordersCompleted}/${counts.ordersSent} orders)` : ""}, in flight ${inflight}, chain p50 ${chains.at(50).toFixed(0)} ms p99 ${chains.at(99).toFixed(0)} ms, lag ${lag ?? "?"}${Object.keys(errors).length > 0 ? `, errors ${Object.values(errors).reduce((a, b) => a + b, 0)}` : ""}`;
  };
  let phase = "sending";
  const ticker = setInterval(() => o.progress?.(progressLine(phase)), 1_000);

  const correlationIds = Array.from({ length: count }, () => randomUUID());
  // Indexed from the start: a record read before the main thread heard of its send is kept.
  follower.expect(correlationIds);
  const sender = new Worker(new URL("./sender-worker.js", import.meta.url), { workerData: { rate: o.rate, count, userUrl: target.userUrl, run, correlationIds } satisfies SenderInput });
  const stopSender = (): void => sender.postMessage({ type: "stop" } satisfies SenderCommand);
  o.signal.addEventListener("abort", stopSender, { once: true });
  let senderDone = false;
  const scheduled = new Promise<{ stats: Extract<SenderMessage, { type: "scheduled" }>["stats"]; sendingMs: number }>((resolve, reject) => {
    sender.on("error", reject);
    sender.on("exit", () => {
      senderDone = true;
      reject(new Error("the sender thread ended before its schedule"));
    });
    sender.on("message", (m: SenderMessage) => {
      if (m.type === "sent") {
        const correlationId = correlationIds[m.i] as string;
        timeline ??= new Timeline(m.sentAtMs);
        timeline.addSent(m.sentAtMs);
        follower.track({ kind: "sign-up", correlationId, steps: signupSteps, sentAtMs: m.sentAtMs });
        counts.sent++;
      } else if (m.type === "answer") {
        const correlationId = correlationIds[m.i] as string;
        http.record(m.answer.ms);
        if (m.answer.status !== 201) {
          follower.drop(correlationId);
          failed(m.answer);
          return;
        }
        counts.accepted++;
        const userId = String(m.answer.body.user_id);
        userOf.set(correlationId, { i: m.i, userId });
        follower.setKey(correlationId, userId);
      } else if (m.type === "scheduled") resolve(m);
      else senderDone = true;
    });
  });
  let sent: Awaited<typeof scheduled>;
  try {
    sent = await scheduled;
  } catch (error: unknown) {
    clearInterval(ticker);
    clearInterval(poller);
    await Promise.all([resources.stop(), lags.stop(), follower.close()]);
    throw error;
  }
  const { stats: schedule, sendingMs } = sent;
  o.signal.removeEventListener("abort", stopSender);
  const sendingS = Math.max(sendingMs / 1000, schedule.fired / o.rate);
  const loadAverage = Math.round((loadavg()[0] ?? 0) * 10) / 10;

  // The drain: until every chain (and every order its welcome order allows) is complete, or the time is up.
  phase = "draining";
  const drainEnd = performance.now() + (o.signal.aborted ? Math.min(o.drainS * 1000, interruptedDrainMs) : o.drainS * 1000);
  const expectedOrders = (): number => [...userOf.values()].reduce((n, u) => n + ordersOfUser(u.i, o.ordersPerSignup), 0);
  while (performance.now() < drainEnd) {
    poll();
    const ordersDue = !o.signal.aborted && counts.ordersSent < expectedOrders();
    if (senderDone && inFlight.size === 0 && follower.pending === 0 && !ordersDue) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  clearInterval(ticker);
  clearInterval(poller);
  poll();
  const [res, lag, brokerAfter] = await Promise.all([resources.stop(), lags.stop(), readBrokerCounters(target.brokerMetricsUrls)]);
  const open = follower.openChains();
  const waitingFor = follower.waitingFor();
  await follower.close();

  const completedChains = counts.completed + counts.ordersCompleted;
  const cpuPerChain: Record<string, number> = {};
  for (const [name, ms] of Object.entries(res.cpuMs)) cpuPerChain[name] = completedChains === 0 ? 0 : round1(ms / completedChains);
  const chainMs = chains.summary();
  const wallS = (performance.now() - wallStart) / 1000;
  return {
    started_at: startedAt.toISOString(),
    run,
    load_average: loadAverage,
    cores: availableParallelism(),
    rate: o.rate,
    duration_s: o.durationS,
    orders_per_signup: o.ordersPerSignup,
    drain_s: o.drainS,
    sent: counts.sent,
    accepted: counts.accepted,
    completed: counts.completed,
    incomplete: open.filter((c) => c.kind === "sign-up").length,
    achieved_rate: round1(counts.sent / sendingS),
    late_sends: schedule.late,
    max_late_ms: round1(schedule.maxLateMs),
    errors,
    orders: {
      sent: counts.ordersSent,
      accepted: counts.ordersAccepted,
      refused_422: counts.refused422,
      completed: counts.ordersCompleted,
      incomplete: open.filter((c) => c.kind === "order").length,
      chain_ms: orderChains.summary(),
    },
    http_ms: http.summary(),
    chain_ms: chainMs,
    hops: Object.fromEntries([...hops].map(([name, h]) => [name, h.summary()])),
    incomplete_waiting_for: waitingFor,
    faulty_chains: counts.faulty,
    peak_lag: lag.peak,
    cpu_ms: res.cpuMs,
    cpu_ms_per_chain: cpuPerChain,
    ...(brokerBefore === undefined || brokerAfter === undefined ? {} : { broker_per_chain: perChain(brokerBefore, brokerAfter, completedChains) }),
    rss_mb: res.peakRssMb,
    generator_cpu_pct: round1(((res.cpuMs[generatorName] ?? 0) / (wallS * 1000)) * 100),
    ...(o.baseline === undefined ? {} : { baseline: { ...o.baseline, chain_p50_multiple: round1(chainMs.p50 / (o.baseline.avg_ms * criticalPathHops)) } }),
    interrupted: schedule.stopped,
    wall_s: round1(wallS),
    timeline: timeline?.points() ?? [],
    lag_series: lag.series,
    resource_series: res.series,
  };
}
