// What happens to one record: counted, ignored as a duplicate, or sent to the DLQ.
import type { ApplyResult, MetricChange } from "../analytics/aggregate.js";
import type { ChainIndex, ChainLatency } from "../analytics/chains.js";
import type { RecentEvent } from "../analytics/snapshot.js";
import type { Envelope } from "../events/envelope.js";
import { decodeRecord, type AnalyticsEvent, type DlqReason, type RawRecord } from "../events/decode.js";
import { toDlqRecord, type DlqRecord } from "../events/dlq.js";
import { errorLine } from "../errors.js";

/**
 * The step that counts a decoded event: the Aggregate in the service; in the contract probe, a
 * recorder of what the step received, so the probe runs every other part of this path for real.
 */
export interface EventCounter {
  apply(event: AnalyticsEvent): ApplyResult;
  recordDeadLetter(topic: string, partition: number, offset: bigint): void;
}

export interface RecordHandlerDeps {
  readonly aggregate: EventCounter;
  readonly chains: Pick<ChainIndex, "add">;
  readonly group: string;
  /** Resolves once the broker acknowledged the DLQ record. */
  readonly publishDlq: (record: DlqRecord) => Promise<void>;
  readonly onCounted: (event: RecentEvent) => void;
  readonly now: () => Date;
}

export type RecordOutcome =
  | {
      readonly kind: "counted";
      readonly event: RecentEvent;
      readonly envelope: Envelope;
      readonly changes: readonly MetricChange[];
      /** Chain latencies this event made known (its own, or, for a late root, its chain's). */
      readonly chainLatencies: readonly ChainLatency[];
    }
  | { readonly kind: "duplicate"; readonly eventId: string }
  | { readonly kind: "dead-lettered"; readonly reason: DlqReason; readonly error: string }
  /** A poison record met again while rebuilding from the log: it went to the DLQ the first time. */
  | { readonly kind: "poison-replayed"; readonly reason: DlqReason; readonly error: string };

/**
 * Handles one record. `replayed` says the group had already committed past it, i.e. it is read
 * again only to rebuild the in-memory state: then a poison record is not dead-lettered twice.
 */
export async function handleRecord(record: RawRecord, replayed: boolean, deps: RecordHandlerDeps): Promise<RecordOutcome> {
  const decoded = decodeRecord(record);
  let failure: { reason: DlqReason; error: string };
  if (decoded.ok) {
    try {
      const result = deps.aggregate.apply(decoded.event);
      if (result.kind === "duplicate") return { kind: "duplicate", eventId: decoded.event.envelope.id };
      const chainLatencies = deps.chains.add(result.recent);
      deps.onCounted(result.recent);
      return { kind: "counted", event: result.recent, envelope: decoded.event.envelope, changes: result.changes, chainLatencies };
    } catch (e: unknown) {
      failure = { reason: "handler-error", error: errorLine(e) };
    }
  } else {
    failure = { reason: decoded.reason, error: decoded.error };
  }

  deps.aggregate.recordDeadLetter(record.topic, record.partition, record.offset);
  if (replayed) return { kind: "poison-replayed", ...failure };
  await deps.publishDlq(toDlqRecord(record, failure, deps.group, deps.now()));
  return { kind: "dead-lettered", ...failure };
}
