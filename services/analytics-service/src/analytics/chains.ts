// Every counted event indexed by correlation id, so one chain can be shown as a causal tree.
import type { RecentEvent, Chain, ChainEvent, ChainSummary } from "./snapshot.js";

interface StoredEvent {
  readonly event: RecentEvent;
  readonly timeMs: number;
  readonly arrival: number;
}

interface StoredChain {
  readonly events: Map<string, StoredEvent>;
  lastTimeMs: number;
  /** ce_time of the root (the event with no cause), once seen. */
  rootTimeMs: number | undefined;
  /** Events not kept because the chain had reached its bound. */
  dropped: number;
}

/** Default of ANALYTICS_MAX_CHAIN_EVENTS: a demo chain has 2 to 6 events. */
export const defaultMaxChainEvents = 500;

/** An event's distance from its chain's root: ce_time minus the root's ce_time. */
export interface ChainLatency {
  readonly ceType: string;
  readonly seconds: number;
}

/**
 * Keeps the `limit` chains with the most recent activity, each with at most `maxEventsPerChain`
 * events (its first ones; the rest are counted in `eventsDropped`); adding to a chain makes it
 * the newest, and the chain idle longest is dropped first. This bounds memory whatever the
 * traffic: limit x maxEventsPerChain events at most, about 1 KB each.
 */
export class ChainIndex {
  readonly #limit: number;
  readonly #maxEvents: number;
  readonly #chains = new Map<string, StoredChain>();
  #arrivals = 0;

  constructor(limit: number, maxEventsPerChain = defaultMaxChainEvents) {
    this.#limit = limit;
    this.#maxEvents = maxEventsPerChain;
  }

  /**
   * Adds a counted event. Returns the chain latencies it makes known: its own when the root was
   * seen, or, when it is the root, those of the events of its chain that came before it.
   */
  add(event: RecentEvent): ChainLatency[] {
    const id = event.correlationId;
    const chain = this.#chains.get(id) ?? { events: new Map<string, StoredEvent>(), lastTimeMs: 0, rootTimeMs: undefined, dropped: 0 };
    const latencies: ChainLatency[] = [];
    // Re-inserting moves the chain to the end of the Map's insertion order: the newest.
    this.#chains.delete(id);
    this.#chains.set(id, chain);
    if (!chain.events.has(event.eventId) && chain.events.size >= this.#maxEvents) {
      chain.dropped += 1;
      chain.lastTimeMs = Math.max(chain.lastTimeMs, Date.parse(event.time));
    } else if (!chain.events.has(event.eventId)) {
      const timeMs = Date.parse(event.time);
      chain.events.set(event.eventId, { event, timeMs, arrival: this.#arrivals++ });
      chain.lastTimeMs = Math.max(chain.lastTimeMs, timeMs);
      if (event.causationId === "" && chain.rootTimeMs === undefined) {
        chain.rootTimeMs = timeMs;
        for (const s of chain.events.values()) {
          if (s.event.eventId !== event.eventId) latencies.push({ ceType: s.event.ceType, seconds: (s.timeMs - timeMs) / 1000 });
        }
      } else if (event.causationId !== "" && chain.rootTimeMs !== undefined) {
        latencies.push({ ceType: event.ceType, seconds: (timeMs - chain.rootTimeMs) / 1000 });
      }
    }
    while (this.#chains.size > this.#limit) {
      const oldest = this.#chains.keys().next();
      if (oldest.done === true) break;
      this.#chains.delete(oldest.value);
    }
    return latencies;
  }

  /** ce_time (epoch ms) of the chain's root, the event with no cause, when it was seen. */
  rootTimeMs(correlationId: string): number | undefined {
    return this.#chains.get(correlationId)?.rootTimeMs;
  }

  get(correlationId: string): Chain | undefined {
    const chain = this.#chains.get(correlationId);
    if (chain === undefined) return undefined;
    const stored = [...chain.events.values()].sort((a, b) => a.timeMs - b.timeMs || a.arrival - b.arrival);
    const children = new Map<string, StoredEvent[]>();
    const roots: StoredEvent[] = [];
    for (const s of stored) {
      const cause = s.event.causationId;
      if (cause !== "" && cause !== s.event.eventId && chain.events.has(cause)) {
        const list = children.get(cause) ?? [];
        list.push(s);
        children.set(cause, list);
      } else {
        roots.push(s);
      }
    }

    const ordered: ChainEvent[] = [];
    const visited = new Set<string>();
    const visit = (s: StoredEvent, parent: StoredEvent | undefined): void => {
      if (visited.has(s.event.eventId)) return;
      visited.add(s.event.eventId);
      ordered.push(toChainEvent(s, parent));
      for (const child of children.get(s.event.eventId) ?? []) visit(child, s);
    };
    for (const root of roots) visit(root, undefined);
    // Only a cycle of causation ids (broken producers) leaves events unvisited; show them anyway.
    for (const s of stored) visit(s, chain.events.get(s.event.causationId));

    const first = stored[0];
    const last = stored.at(-1);
    return {
      correlationId,
      startedAt: first?.event.time ?? "",
      lastEventAt: last?.event.time ?? "",
      events: ordered,
      eventsDropped: chain.dropped,
      traceId: ordered.map((e) => chain.events.get(e.eventId)?.event.traceId ?? "").find((t) => t !== "") ?? null,
    };
  }

  /** The chains with the newest last event (by ce_time) first. */
  latest(limit: number): ChainSummary[] {
    // Reversed first, so that on equal times the stable sort keeps the most recently active first.
    const ids = [...this.#chains]
      .reverse()
      .sort(([, a], [, b]) => b.lastTimeMs - a.lastTimeMs)
      .slice(0, limit)
      .map(([id]) => id);
    return ids.flatMap((id) => {
      const chain = this.get(id);
      if (chain === undefined) return [];
      return [
        {
          correlationId: id,
          startedAt: chain.startedAt,
          lastEventAt: chain.lastEventAt,
          eventCount: chain.events.length,
          rootType: chain.events[0]?.type ?? "",
        },
      ];
    });
  }
}

function toChainEvent(s: StoredEvent, parent: StoredEvent | undefined): ChainEvent {
  const e = s.event;
  return {
    eventId: e.eventId,
    type: e.type,
    service: e.service,
    language: e.language,
    topic: e.topic,
    time: e.time,
    parentId: parent === undefined ? null : parent.event.eventId,
    hopLatencyMs: parent === undefined ? null : s.timeMs - parent.timeMs,
    summary: e.summary,
  };
}
