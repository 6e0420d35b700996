// The records of sign-up and order chains as the services write them (ids, causes, sources and
// the values each step's `matches` accepts), built from the shared chain definitions.
import type { JsonObject } from "@bufbuild/protobuf";
import { typePrefix, welcomeProduct, type Step } from "../../src/events/chain-expectations.js";
import type { EventRecord } from "../../src/events/event-log.js";

/** A value each step's `matches` accepts (the flow's real shapes: welcome order, e-mail templates, payment). */
export const values: Record<string, JsonObject> = {
  "welcome order": { status: "ORDER_STATUS_CONFIRMED", items: [{ productId: welcomeProduct }] },
  "welcome e-mail": { templateId: "welcome" },
  "welcome order confirmation e-mail": { templateId: "order_confirmation" },
  "welcome order shipping e-mail": { templateId: "shipping_notification" },
  order: { status: "ORDER_STATUS_PENDING", items: [{ productId: "prod_1" }] },
  payment: { status: "PAYMENT_STATUS_APPROVED" },
  "order confirmation e-mail": { templateId: "order_confirmation" },
  "order shipping e-mail": { templateId: "shipping_notification" },
  "order cancellation e-mail": { templateId: "order_cancelled" },
};

export interface ChainOptions {
  /** The user id the chain's records are keyed by (default `user-1`). */
  readonly key?: string;
  /** Values by step name in place of `values` (a declined payment, a sign-up with a phone number). */
  readonly values?: Readonly<Record<string, JsonObject>>;
}

let offset = 0n;

/** The records of one chain as the services write them, all but the steps named in `skip` (and what they cause). */
export function chainRecords(steps: readonly Step[], correlationId: string, rootTime: string, skip: readonly string[] = [], options: ChainOptions = {}): EventRecord[] {
  const ids = new Map<string, string>();
  const records: EventRecord[] = [];
  for (const step of steps) {
    const causeId = step.cause === undefined ? "" : ids.get(step.cause);
    if (skip.includes(step.name) || causeId === undefined) continue;
    const id = `${correlationId}-${step.name}`;
    ids.set(step.name, id);
    records.push({
      topic: step.topic,
      partition: 0,
      offset: offset++,
      key: options.key ?? "user-1",
      headers: { ce_id: id, ce_correlationid: correlationId, ce_causationid: causeId, ce_source: step.source, ce_time: rootTime },
      type: `${typePrefix}${step.type}`,
      value: options.values?.[step.name] ?? values[step.name] ?? {},
    });
  }
  return records;
}

