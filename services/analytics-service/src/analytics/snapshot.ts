// The shapes analytics shows to the outside: GET /metrics, the /ws messages and GET /api/chains.
// Types only, so the dashboard can import them without pulling in any service code.

/** One event of the activity feed. */
export interface RecentEvent {
  readonly eventId: string;
  /** Short message name, e.g. "OrderCreatedEvent". */
  readonly type: string;
  /** The full ce_type, e.g. "polyglot.events.v1.OrderCreatedEvent". */
  readonly ceType: string;
  readonly service: string;
  readonly language: string;
  readonly topic: string;
  readonly correlationId: string;
  /** Empty on a root event. */
  readonly causationId: string;
  /** ce_time, RFC 3339. */
  readonly time: string;
  readonly userId: string;
  /** One readable line: "order 1f3c... 109.97 USD PENDING". */
  readonly summary: string;
  /** The trace id of its `traceparent` (32 hex digits), or "" when it carried none. */
  readonly traceId: string;
}

/** Latency of one hop type, from the cause's ce_time to the effect's, in milliseconds. */
export interface HopLatency {
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

/** GET /metrics: the seed's fields first, then the ones analytics added. */
export interface MetricsSnapshot {
  readonly userSignups: number;
  readonly ordersCreated: number;
  readonly emailsSent: number;
  /** Revenue of the orders created, in USD, exact to the cent (e.g. 109.97). */
  readonly totalRevenue: number;
  /** Sign-ups per SignupSource, lower case: "web", "mobile", "api", "social", "unspecified". */
  readonly signupsBySource: Readonly<Record<string, number>>;
  /** Orders created per UTC hour of their ce_time, "0" to "23". */
  readonly ordersByHour: Readonly<Record<string, number>>;
  /** Newest first. */
  readonly recentEvents: readonly RecentEvent[];
  /** Exact revenue per currency, as decimal text ("109.97"). */
  readonly revenueByCurrency: Readonly<Record<string, string>>;
  readonly smsSent: number;
  readonly paymentsDeclined: number;
  /** Orders by the status they were created with ("pending", "confirmed", ...). */
  readonly ordersByStatus: Readonly<Record<string, number>>;
  readonly eventsTotal: number;
  readonly eventsByType: Readonly<Record<string, number>>;
  readonly eventsByService: Readonly<Record<string, number>>;
  readonly eventsByLanguage: Readonly<Record<string, number>>;
  /** Per hop type ("UserSignupEvent -> OrderCreatedEvent"): count and p50/p95/p99 in ms. */
  readonly hopLatencyMs: Readonly<Record<string, HopLatency>>;
  /** Records this service sent to `<topic>.dlq`, by source topic. */
  readonly dlqRecords: Readonly<Record<string, number>>;
  /** ce_time of the newest event counted, or null before the first. */
  readonly lastEventAt: string | null;
}

/** One event of a chain, with the event that caused it. */
export interface ChainEvent {
  readonly eventId: string;
  readonly type: string;
  readonly service: string;
  readonly language: string;
  readonly topic: string;
  readonly time: string;
  /** The causation id; null on the root (or when the cause was never seen). */
  readonly parentId: string | null;
  /** Milliseconds from the cause's ce_time to this event's; null without a known cause. */
  readonly hopLatencyMs: number | null;
  readonly summary: string;
}

/** GET /api/chains/{correlationId}. */
export interface Chain {
  readonly correlationId: string;
  readonly startedAt: string;
  readonly lastEventAt: string;
  /** In causal order: a cause before its effects, then by time. */
  readonly events: readonly ChainEvent[];
  /** Events of the chain not kept: it had reached ANALYTICS_MAX_CHAIN_EVENTS. */
  readonly eventsDropped: number;
  /** The trace of the chain's root (every hop continues it), or null when it carried none. */
  readonly traceId: string | null;
  /** That trace in Zipkin's UI. */
  readonly traceUrl?: string;
}

/** One row of GET /api/chains. */
export interface ChainSummary {
  readonly correlationId: string;
  readonly startedAt: string;
  readonly lastEventAt: string;
  readonly eventCount: number;
  readonly rootType: string;
}

/** What /ws sends: a snapshot on connect, then each event, and the metrics when they changed. */
export type WsMessage =
  | { readonly type: "snapshot"; readonly metrics: MetricsSnapshot }
  | { readonly type: "event"; readonly event: RecentEvent }
  | { readonly type: "metrics"; readonly metrics: MetricsSnapshot };
