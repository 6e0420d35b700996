// The Kafka records of one history chain, as the services write them: protobuf values from the
// generated code, the contract's CloudEvents headers, keyed by user id. analytics-events is not
// written here: analytics-service derives its AnalyticsUpdates from these records itself.
import { crc32 } from "node:zlib";
import { create, toBinary, type DescMessage, type MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { EventMetadataSchema } from "../gen/polyglot/common/v1/metadata_pb.js";
import { MoneySchema } from "../gen/polyglot/common/v1/money_pb.js";
import { EmailSentEventSchema, EmailType } from "../gen/polyglot/events/v1/notification_events_pb.js";
import { OrderCreatedEventSchema, OrderShippedEventSchema, OrderStatus } from "../gen/polyglot/events/v1/order_events_pb.js";
import { SignupSource, UserSignupEventSchema } from "../gen/polyglot/events/v1/user_events_pb.js";
import { topicPartitions } from "../stack/kafka/topics.js";
import { orderCreatedAt, shippedAt, traceparent, type HistoryChain, type HistoryMail } from "./history.js";

export interface SeedRecord {
  readonly topic: "user-events" | "order-events" | "notification-events";
  readonly key: string;
  readonly value: Buffer;
  readonly headers: Map<string, string>;
  readonly timestamp: bigint;
  /** Set where the writing service's client partitions otherwise than the CLI's producer (murmur2, as Java's and franz-go's). */
  readonly partition?: number;
}

/** The version the services stamp on their events (each project's version). */
const sourceVersion = "0.1.0";

interface Envelope {
  readonly service: "user-service" | "order-service" | "notification-service";
  readonly eventId: string;
  readonly causationId: string;
  readonly at: Date;
  /** `ce_time` as the service writes it (Java and Go print micro- or nanoseconds, Python milliseconds). */
  readonly ceTime: string;
}

function metadata(c: HistoryChain, e: Envelope) {
  return create(EventMetadataSchema, {
    eventId: e.eventId,
    correlationId: c.correlationId,
    causationId: e.causationId,
    sourceService: e.service,
    sourceVersion,
    timestamp: timestampFromDate(e.at),
  });
}

function record<S extends DescMessage>(topic: SeedRecord["topic"], c: HistoryChain, e: Envelope, schema: S, init: MessageInitShape<S>, partition?: number): SeedRecord {
  const trace = e.eventId === c.signupEventId ? c.signupTraceparent : traceparent(c.traceId);
  const headers = new Map([
    ["ce_specversion", "1.0"],
    ["ce_id", e.eventId],
    ["ce_source", `/${e.service}`],
    ["ce_type", schema.typeName],
    ["ce_time", e.ceTime],
    ["content-type", "application/protobuf"],
    ["ce_correlationid", c.correlationId],
    ["ce_causationid", e.causationId],
    ["traceparent", trace],
  ]);
  return {
    topic,
    key: c.userId,
    value: Buffer.from(toBinary(schema, create(schema, init))),
    headers,
    timestamp: BigInt(e.at.getTime()),
    ...(partition === undefined ? {} : { partition }),
  };
}

const usd = () => create(MoneySchema, { currencyCode: "USD" });

const emailTypes = { welcome: EmailType.WELCOME, order_confirmation: EmailType.ORDER_CONFIRMATION, shipping_notification: EmailType.SHIPPING_NOTIFICATION } as const;

/** What notification-service fills in for each template (notification/notifications). */
function templateVariables(c: HistoryChain, m: HistoryMail): Record<string, string> {
  switch (m.kind) {
    case "welcome":
      return { email: c.email, user_name: c.name, signup_source: "web" };
    case "order_confirmation":
      return { user_name: c.name, order_id: c.orderId, order_status: "confirmed", items: "1x Welcome package at USD 0.00", total_amount: "USD 0.00" };
    case "shipping_notification":
      return { tracking_number: c.trackingNumber, user_name: c.name, order_id: c.orderId, carrier: "polyglot-post" };
  }
}

/** notification-service's producer (librdkafka) picks a keyed record's partition by CRC32 of the key. */
const librdkafkaPartition = (key: string): number => crc32(key) % topicPartitions;

/** The six records of a sign-up chain: UserSignupEvent, the welcome OrderCreated and OrderShipped, three EmailSentEvents. */
export function chainRecords(c: HistoryChain): SeedRecord[] {
  const signup: Envelope = { service: "user-service", eventId: c.signupEventId, causationId: "", at: c.signedUpAt, ceTime: c.signedUpAt.toISOString() };
  const created: Envelope = { service: "order-service", eventId: c.orderEventId, causationId: c.signupEventId, at: orderCreatedAt(c), ceTime: orderCreatedAt(c).toISOString() };
  const shipped: Envelope = { service: "order-service", eventId: c.shippedEventId, causationId: c.orderEventId, at: shippedAt(c), ceTime: shippedAt(c).toISOString() };
  const item = { productId: "welcome-package", productName: "Welcome package", quantity: 1, unitPriceMoney: usd() };
  return [
    record("user-events", c, signup, UserSignupEventSchema, {
      userId: c.userId,
      email: c.email,
      name: c.name,
      signupTimestamp: timestampFromDate(c.signedUpAt),
      source: SignupSource.WEB,
      metadata: { ip_address: "127.0.0.1", user_agent: "polyglot-seed" },
      eventMetadata: metadata(c, signup),
    }),
    record("order-events", c, created, OrderCreatedEventSchema, {
      orderId: c.orderId,
      userId: c.userId,
      currency: "USD",
      status: OrderStatus.CONFIRMED,
      items: [item],
      createdTimestamp: timestampFromDate(created.at),
      eventMetadata: metadata(c, created),
      totalMoney: usd(),
    }),
    record("order-events", c, shipped, OrderShippedEventSchema, {
      orderId: c.orderId,
      userId: c.userId,
      trackingNumber: c.trackingNumber,
      carrier: "polyglot-post",
      shippedTimestamp: timestampFromDate(shipped.at),
      eventMetadata: metadata(c, shipped),
    }),
    ...c.mails.map((m) => {
      const sent: Envelope = { service: "notification-service", eventId: m.eventId, causationId: m.triggerEventId, at: m.at, ceTime: m.at.toISOString() };
      return record(
        "notification-events",
        c,
        sent,
        EmailSentEventSchema,
        {
          userId: c.userId,
          emailAddress: c.email,
          templateId: m.kind,
          emailType: emailTypes[m.kind],
          templateVariables: templateVariables(c, m),
          sentTimestamp: timestampFromDate(m.at),
          eventMetadata: metadata(c, sent),
          subject: m.subject,
          orderId: m.orderId,
        },
        librdkafkaPartition(c.userId),
      );
    }),
  ];
}
