// The analytics state: counters derived from the events, each event counted once by its id.
import { OrderStatus, PaymentStatus } from "../gen/polyglot/events/v1/order_events_pb.js";
import type { AnalyticsEvent } from "../events/decode.js";
import { serviceLanguage, shortTypeName } from "../events/known-events.js";
import { AnalyticsError } from "../errors.js";
import { orderStatusLabel, signupSourceLabel, summarize } from "./describe.js";
import { formatNanos, nanosToNumber, toNanos } from "./money.js";
import { HopLatencies, type TimedEvent } from "./latency.js";
import { SeenEvents } from "./seen-events.js";
import type { MetricsSnapshot, RecentEvent } from "./snapshot.js";

/** The currency `totalRevenue` is in; other currencies show only in `revenueByCurrency`. */
export const revenueCurrency = "USD";

/** One counter that an event moved: what AnalyticsUpdate publishes. */
export interface MetricChange {
  /** e.g. "user_signups", "orders_by_status", "total_revenue". */
  readonly metricName: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly previousValue: number;
  readonly value: number;
}

export type ApplyResult =
  | { readonly kind: "counted"; readonly recent: RecentEvent; readonly changes: readonly MetricChange[] }
  | { readonly kind: "duplicate" };

export interface AggregateOptions {
  readonly recentEventsLimit: number;
  /** Event ids remembered per topic partition for idempotence (see SeenEvents). */
  readonly seenPerPartition?: number;
}

/** Default of ANALYTICS_SEEN_EVENTS_PER_PARTITION: about 5 MB of ids per partition. */
export const defaultSeenPerPartition = 50_000;

const increment = (map: Map<string, number>, key: string, step = 1): number => {
  const next = (map.get(key) ?? 0) + step;
  if (next === 0) map.delete(key);
  else map.set(key, next);
  return next;
};

/**
 * Orders whose current status is remembered, so `ordersByStatus` moves an order from status to
 * status as its saga goes on. The oldest are forgotten first: a forgotten order stays counted
 * under its last status, and a later step of it is then not moved (sagas finish in seconds).
 */
export const orderStatusRetention = 100_000;

/**
 * Delivery is at least once, so the same event may arrive again (a redelivery, a producer's
 * re-send): the ids of the newest events of each partition are remembered (SeenEvents) and a
 * second arrival within that window changes nothing. Records this process has already read once
 * never reach it again (the consumer skips them), so the window only has to cover copies of an
 * event at different offsets, which sit close together in their partition.
 */
export class Aggregate {
  readonly #recentLimit: number;
  /** The newest events counted, by id: for idempotence, and as the causes of later hops. */
  readonly #seen: SeenEvents;
  /** Highest offset dead-lettered per topic partition: a partition is read in offset order. */
  readonly #deadLettered = new Map<string, bigint>();
  #eventsTotal = 0;
  readonly #hops: HopLatencies;
  #userSignups = 0;
  #ordersCreated = 0;
  #emailsSent = 0;
  #smsSent = 0;
  #paymentsDeclined = 0;
  readonly #revenue = new Map<string, bigint>();
  readonly #signupsBySource = new Map<string, number>();
  readonly #ordersByHour = new Map<string, number>();
  readonly #ordersByStatus = new Map<string, number>();
  /** order id -> its current status label; insertion order is age (see orderStatusRetention). */
  readonly #orderStatus = new Map<string, string>();
  readonly #eventsByType = new Map<string, number>();
  readonly #eventsByService = new Map<string, number>();
  readonly #eventsByLanguage = new Map<string, number>();
  readonly #dlqRecords = new Map<string, number>();
  #recent: RecentEvent[] = [];
  /** ce_time of each of #recent, in ms. */
  readonly #recentTimes: number[] = [];
  #lastEventAt: string | null = null;

  constructor(options: AggregateOptions) {
    this.#recentLimit = options.recentEventsLimit;
    this.#seen = new SeenEvents(options.seenPerPartition ?? defaultSeenPerPartition);
    this.#hops = new HopLatencies({ samplesPerHop: 10_000, maxWaiting: 10_000 }, (id) => this.#seen.get(id));
  }

  has(eventId: string): boolean {
    return this.#seen.has(eventId);
  }

  /**
   * Counts one event. Anything that can fail (an invalid amount) is checked before the first
   * counter moves, so an event is either counted whole or not at all.
   */
  apply(event: AnalyticsEvent): ApplyResult {
    const { envelope, message } = event;
    if (this.#seen.has(envelope.id)) return { kind: "duplicate" };

    let revenue: { currency: string; nanos: bigint } | undefined;
    if (message.$typeName === "polyglot.events.v1.OrderCreatedEvent") {
      if (message.totalMoney !== undefined) {
        revenue = { currency: message.totalMoney.currencyCode, nanos: toNanos(message.totalMoney) };
      } else if (message.totalAmount === 0) {
        revenue = { currency: message.currency === "" ? revenueCurrency : message.currency, nanos: 0n };
      } else {
        // The double total_amount cannot be summed exactly; only total_money can.
        throw new AnalyticsError("MONEY_INVALID", `order ${message.orderId} has total_amount but no total_money`);
      }
    }
    const recent = toRecentEvent(event);

    const timed: TimedEvent = { type: recent.type, timeMs: envelope.timeMs };
    this.#seen.add(envelope.id, timed, `${event.topic}/${event.partition}`);
    this.#eventsTotal += 1;
    this.#hops.record(envelope.id, timed, envelope.causationId);
    const changes: MetricChange[] = [];
    const changed = (metricName: string, value: number, labels: Record<string, string> = {}, step = 1): void => {
      changes.push({ metricName, labels, previousValue: value - step, value });
    };
    switch (message.$typeName) {
      case "polyglot.events.v1.UserSignupEvent": {
        changed("user_signups", ++this.#userSignups);
        const source = signupSourceLabel(message.source);
        changed("signups_by_source", increment(this.#signupsBySource, source), { source });
        break;
      }
      case "polyglot.events.v1.OrderCreatedEvent": {
        changed("orders_created", ++this.#ordersCreated);
        const hour = String(new Date(envelope.timeMs).getUTCHours());
        changed("orders_by_hour", increment(this.#ordersByHour, hour), { hour });
        this.#moveOrder(message.orderId, orderStatusLabel(message.status), changed, true);
        if (revenue !== undefined && revenue.nanos !== 0n) {
          const before = this.#revenue.get(revenue.currency) ?? 0n;
          const after = before + revenue.nanos;
          this.#revenue.set(revenue.currency, after);
          changes.push({ metricName: "total_revenue", labels: { currency: revenue.currency }, previousValue: nanosToNumber(before), value: nanosToNumber(after) });
        } else if (revenue !== undefined && !this.#revenue.has(revenue.currency)) {
          this.#revenue.set(revenue.currency, 0n);
        }
        break;
      }
      case "polyglot.events.v1.PaymentProcessedEvent":
        if (message.status === PaymentStatus.DECLINED) changed("payments_declined", ++this.#paymentsDeclined);
        else if (message.status === PaymentStatus.APPROVED) this.#moveOrder(message.orderId, orderStatusLabel(OrderStatus.CONFIRMED), changed);
        break;
      case "polyglot.events.v1.OrderShippedEvent":
        this.#moveOrder(message.orderId, orderStatusLabel(OrderStatus.SHIPPED), changed);
        break;
      case "polyglot.events.v1.OrderCancelledEvent":
        this.#moveOrder(message.orderId, orderStatusLabel(OrderStatus.CANCELLED), changed);
        break;
      case "polyglot.events.v1.EmailSentEvent":
        changed("emails_sent", ++this.#emailsSent);
        break;
      case "polyglot.events.v1.SMSSentEvent":
        changed("sms_sent", ++this.#smsSent);
        break;
      case "polyglot.events.v1.UserUpdatedEvent":
        break;
    }
    increment(this.#eventsByType, recent.type);
    increment(this.#eventsByService, envelope.service);
    increment(this.#eventsByLanguage, recent.language);
    if (this.#lastEventAt === null || envelope.timeMs >= Date.parse(this.#lastEventAt)) {
      this.#lastEventAt = envelope.time;
    }
    this.#remember(recent, envelope.timeMs);
    return { kind: "counted", recent, changes };
  }

  /**
   * Moves one order to `status` in ordersByStatus. One user's order events share a partition
   * (keyed by user_id), so they arrive in saga order. A step of an order never seen (created
   * before the retained window) is not counted, so every order is counted under one status only.
   */
  #moveOrder(
    orderId: string,
    status: string,
    changed: (metricName: string, value: number, labels?: Record<string, string>, step?: number) => void,
    created = false,
  ): void {
    const before = this.#orderStatus.get(orderId);
    if (before === undefined && !created) return;
    if (before === status) return;
    if (before !== undefined) {
      changed("orders_by_status", increment(this.#ordersByStatus, before, -1), { status: before }, -1);
      this.#orderStatus.delete(orderId);
    }
    this.#orderStatus.set(orderId, status);
    if (this.#orderStatus.size > orderStatusRetention) {
      const oldest = this.#orderStatus.keys().next().value;
      if (oldest !== undefined) this.#orderStatus.delete(oldest);
    }
    changed("orders_by_status", increment(this.#ordersByStatus, status), { status });
  }

  /** Counts a record sent to `<topic>.dlq`, once per position (a replay finds the same record). */
  recordDeadLetter(topic: string, partition: number, offset: bigint): void {
    const key = `${topic}/${partition}`;
    const highest = this.#deadLettered.get(key);
    if (highest !== undefined && offset <= highest) return;
    this.#deadLettered.set(key, offset);
    increment(this.#dlqRecords, topic);
  }

  /** Event ids kept for idempotence now (bounded: see SeenEvents). */
  get seenEventIds(): number {
    return this.#seen.size;
  }

  /** The exact revenue in one currency, in nano units. */
  revenueNanos(currency: string): bigint {
    return this.#revenue.get(currency) ?? 0n;
  }

  snapshot(): MetricsSnapshot {
    const revenueByCurrency: Record<string, string> = {};
    for (const [currency, nanos] of this.#revenue) revenueByCurrency[currency] = formatNanos(nanos);
    return {
      userSignups: this.#userSignups,
      ordersCreated: this.#ordersCreated,
      emailsSent: this.#emailsSent,
      totalRevenue: nanosToNumber(this.#revenue.get(revenueCurrency) ?? 0n),
      signupsBySource: Object.fromEntries(this.#signupsBySource),
      ordersByHour: Object.fromEntries(this.#ordersByHour),
      recentEvents: [...this.#recent],
      revenueByCurrency,
      smsSent: this.#smsSent,
      paymentsDeclined: this.#paymentsDeclined,
      ordersByStatus: Object.fromEntries(this.#ordersByStatus),
      eventsTotal: this.#eventsTotal,
      eventsByType: Object.fromEntries(this.#eventsByType),
      eventsByService: Object.fromEntries(this.#eventsByService),
      eventsByLanguage: Object.fromEntries(this.#eventsByLanguage),
      hopLatencyMs: this.#hops.snapshot(),
      dlqRecords: Object.fromEntries(this.#dlqRecords),
      lastEventAt: this.#lastEventAt,
    };
  }

  /**
   * Keeps the newest events by ce_time, newest first. Records arrive in log order per partition,
   * not in time order across partitions and topics (a rebuild reads one partition after another),
   * so each event is placed where its time puts it.
   */
  #remember(recent: RecentEvent, timeMs: number): void {
    let at = 0;
    // The times kept beside the events: parsing each kept event's time per event counted was
    // a few per cent of the service's CPU.
    while (at < this.#recentTimes.length && (this.#recentTimes[at] ?? 0) > timeMs) at += 1;
    if (at >= this.#recentLimit) return;
    this.#recent.splice(at, 0, recent);
    this.#recentTimes.splice(at, 0, timeMs);
    if (this.#recent.length > this.#recentLimit) {
      this.#recent.length = this.#recentLimit;
      this.#recentTimes.length = this.#recentLimit;
    }
  }

}

/** How the activity feed and the chain view show one event. */
export function toRecentEvent(event: AnalyticsEvent): RecentEvent {
  const { envelope, message } = event;
  return {
    eventId: envelope.id,
    type: shortTypeName(envelope.type),
    ceType: envelope.type,
    service: envelope.service,
    language: serviceLanguage(envelope.service),
    topic: event.topic,
    correlationId: envelope.correlationId,
    causationId: envelope.causationId,
    time: envelope.time,
    userId: message.userId,
    summary: summarize(message),
    traceId: /^00-([0-9a-f]{32})-/.exec(envelope.traceparent)?.[1] ?? "",
  };
}
