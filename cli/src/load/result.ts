// What one load run measured: the object `--json` prints (snake_case, as the issue names the
// fields), the terminal table and the HTML report are made from.
import type { Baseline } from "./baseline.js";
import type { BrokerTrafficPerChain } from "./broker-traffic.js";
import type { LagPoint } from "./lag-sampler.js";
import type { Percentiles } from "./percentiles.js";
import type { ResourcePoint } from "./resource-sampler.js";

export interface TimelinePoint {
  /** Seconds since the first send. */
  readonly t: number;
  readonly sent: number;
  readonly completed: number;
  /** Percentiles of the chains that completed in this second (0 when none did). */
  readonly chain_p50_ms: number;
  readonly chain_p99_ms: number;
}

export interface OrderCounts {
  readonly sent: number;
  readonly accepted: number;
  /** 422: order-service did not know the user within ORDER_USER_WAIT (reported apart from errors). */
  readonly refused_422: number;
  readonly completed: number;
  readonly incomplete: number;
  readonly chain_ms: Percentiles;
}

export interface LoadResult {
  readonly started_at: string;
  /** This run's id: its users are load-<run>-<i>@example.com. */
  readonly run: string;
  /** The machine's 1-minute load average when the sending ended, and its cores: late sends on a busy machine are the machine's. */
  readonly load_average: number;
  readonly cores: number;
  readonly rate: number;
  readonly duration_s: number;
  readonly orders_per_signup: number;
  readonly drain_s: number;
  /** Sign-ups sent, answered 201, and their chains complete / not complete after the drain. */
  readonly sent: number;
  readonly accepted: number;
  readonly completed: number;
  readonly incomplete: number;
  /** Sign-ups sent per second over the sending time. */
  readonly achieved_rate: number;
  /** Sends that fired more than 5 ms after their time (open loop: never skipped), and the worst. */
  readonly late_sends: number;
  readonly max_late_ms: number;
  /** Failed requests by kind (`HTTP 503`, `ECONNREFUSED`, `timeout`); 422s of orders are in orders.refused_422. */
  readonly errors: Readonly<Record<string, number>>;
  readonly orders: OrderCounts;
  readonly http_ms: Percentiles;
  /** Sign-up chains: request sent -> the AnalyticsUpdate of the chain's last e-mail. */
  readonly chain_ms: Percentiles;
  /** Cause -> effect, from the records' Kafka timestamps. */
  readonly hops: Readonly<Record<string, Percentiles>>;
  /** Incomplete chains (sign-ups and orders) by the service that writes their next missing step. */
  readonly incomplete_waiting_for: Readonly<Record<string, number>>;
  /** Chains whose events held duplicates or unexpected events. */
  readonly faulty_chains: number;
  readonly peak_lag: Readonly<Record<string, number>>;
  readonly cpu_ms: Readonly<Record<string, number>>;
  /** CPU ms of each component (and the generator) per complete chain, sign-up and order chains together. */
  readonly cpu_ms_per_chain: Readonly<Record<string, number>>;
  readonly rss_mb: Readonly<Record<string, number>>;
  /** Records written and requests served by the brokers per complete chain (absent when their metrics could not be read). */
  readonly broker_per_chain?: BrokerTrafficPerChain;
  /** The generator's CPU in % of one core while it ran. */
  readonly generator_cpu_pct: number;
  readonly baseline?: Baseline & {
    /** chain p50 / (baseline avg x 4 hops). */
    readonly chain_p50_multiple: number;
  };
  /** True when Ctrl-C stopped the sending early. */
  readonly interrupted: boolean;
  readonly wall_s: number;
  readonly report?: string;
  readonly timeline: readonly TimelinePoint[];
  readonly lag_series: readonly LagPoint[];
  readonly resource_series: readonly ResourcePoint[];
}

/** The result without its time series: what --json prints. */
export function summaryOf(r: LoadResult): Omit<LoadResult, "timeline" | "lag_series" | "resource_series"> {
  const { timeline: _t, lag_series: _l, resource_series: _r, ...rest } = r;
  return rest;
}
