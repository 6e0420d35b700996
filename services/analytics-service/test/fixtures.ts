// Builders for records as producers of the contract write them.
import { randomUUID } from "node:crypto";
import { create, toBinary, type DescMessage, type MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { MoneySchema } from "../src/gen/polyglot/common/v1/money_pb.js";
import { EmailSentEventSchema, EmailType } from "../src/gen/polyglot/events/v1/notification_events_pb.js";
import { OrderCreatedEventSchema, OrderStatus } from "../src/gen/polyglot/events/v1/order_events_pb.js";
import { SignupSource, UserSignupEventSchema } from "../src/gen/polyglot/events/v1/user_events_pb.js";
import type { RawRecord } from "../src/events/decode.js";

export interface RecordOptions {
  readonly topic?: string;
  readonly id?: string;
  readonly type?: string;
  readonly service?: string;
  readonly time?: string;
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly offset?: bigint;
  readonly partition?: number;
  /** Header names to leave out. */
  readonly omit?: readonly string[];
  readonly value?: Buffer;
}

let nextOffset = 0n;

export function record<Desc extends DescMessage>(
  schema: Desc,
  init: MessageInitShape<Desc>,
  topic: string,
  options: RecordOptions = {},
): RawRecord {
  const headers: Record<string, string> = {
    ce_specversion: "1.0",
    ce_id: options.id ?? randomUUID(),
    ce_source: `/${options.service ?? "test-service"}`,
    ce_type: options.type ?? schema.typeName,
    ce_time: options.time ?? new Date().toISOString(),
    "content-type": "application/protobuf",
    ce_correlationid: options.correlationId ?? randomUUID(),
    ce_causationid: options.causationId ?? "",
    traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
  };
  for (const name of options.omit ?? []) delete headers[name];
  return {
    topic: options.topic ?? topic,
    partition: options.partition ?? 0,
    offset: options.offset ?? nextOffset++,
    key: Buffer.from("user-1"),
    value: options.value ?? Buffer.from(toBinary(schema, create(schema, init))),
    headers: Object.entries(headers).map(([k, v]) => [Buffer.from(k), Buffer.from(v)] as const),
  };
}

export function usd(amount: string): MessageInitShape<typeof MoneySchema> {
  const [units = "0", fraction = ""] = amount.split(".");
  return { currencyCode: "USD", units: BigInt(units), nanos: Number(fraction.padEnd(9, "0")) };
}

export function signup(options: RecordOptions & { source?: SignupSource; email?: string } = {}): RawRecord {
  return record(
    UserSignupEventSchema,
    {
      userId: "user-1",
      email: options.email ?? "demo@example.com",
      name: "Demo User",
      source: options.source ?? SignupSource.WEB,
      signupTimestamp: timestampFromMs(Date.now()),
    },
    "user-events",
    { service: "user-service", ...options },
  );
}

export function orderCreated(
  total: string | undefined,
  options: RecordOptions & { status?: OrderStatus; totalAmount?: number } = {},
): RawRecord {
  return record(
    OrderCreatedEventSchema,
    {
      orderId: randomUUID(),
      userId: "user-1",
      status: options.status ?? OrderStatus.PENDING,
      currency: "USD",
      totalAmount: options.totalAmount ?? Number(total ?? "0"),
      ...(total === undefined ? {} : { totalMoney: usd(total) }),
    },
    "order-events",
    { service: "order-service", ...options },
  );
}

export function emailSent(options: RecordOptions = {}): RawRecord {
  return record(
    EmailSentEventSchema,
    { userId: "user-1", emailAddress: "demo@example.com", emailType: EmailType.WELCOME, subject: "Welcome" },
    "notification-events",
    { service: "notification-service", ...options },
  );
}

export function headerMap(rec: { headers: ReadonlyArray<readonly [Buffer, Buffer]> }): Map<string, string> {
  return new Map(rec.headers.map(([k, v]) => [k.toString(), v.toString()]));
}
