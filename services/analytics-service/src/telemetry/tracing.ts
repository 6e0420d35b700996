// OpenTelemetry (the official JS SDK) exporting to Zipkin (infra/zipkin/README.md): a CONSUMER
// span per new record, child of the record's `traceparent`, and a PRODUCER span for the
// AnalyticsUpdates it causes, whose context goes into their `traceparent`.
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { ZipkinExporter } from "@opentelemetry/exporter-zipkin";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BatchSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";

export interface Tracing {
  /** Sends the spans still buffered; call on shutdown. */
  shutdown(): Promise<void>;
}

const tracerName = "analytics-service";

/** Registers the global tracer provider, context manager and W3C propagator. */
export function startTracing(options: { readonly serviceName: string; readonly zipkinEndpoint: string }): Tracing {
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ "service.name": options.serviceName }),
    // Batched, so a burst of records costs one POST to Zipkin per batch, flushed on shutdown.
    spanProcessors: [new BatchSpanProcessor({ exporter: new ZipkinExporter({ url: options.zipkinEndpoint, serviceName: options.serviceName }) })],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  return { shutdown: () => provider.shutdown() };
}

/** The trace id of the active span, for log lines; undefined outside a span. */
export function activeTraceId(): string | undefined {
  const spanContext = trace.getSpan(context.active())?.spanContext();
  return spanContext !== undefined && trace.isSpanContextValid(spanContext) ? spanContext.traceId : undefined;
}

/** The context a record's `traceparent` carries (the root context when it has none). */
export function contextFrom(traceparent: string): Context {
  return traceparent === "" ? ROOT_CONTEXT : propagation.extract(ROOT_CONTEXT, { traceparent });
}

export interface ConsumedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly key: Buffer | undefined;
  readonly traceparent: string;
}

/**
 * Runs `handle` inside a CONSUMER span named `<topic> process`, child of the record's trace
 * (Zipkin draws parent and child, not links). `failed` marks the span as an error.
 */
export async function inConsumerSpan<T>(record: ConsumedRecord, group: string, handle: () => Promise<T>, failed: (result: T) => string | undefined): Promise<T> {
  const tracer = trace.getTracer(tracerName);
  const parent = contextFrom(record.traceparent);
  const span = tracer.startSpan(
    `${record.topic} process`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        "messaging.system": "kafka",
        "messaging.operation.type": "process",
        "messaging.destination.name": record.topic,
        "messaging.destination.partition.id": String(record.partition),
        "messaging.kafka.offset": Number(record.offset),
        "messaging.consumer.group.name": group,
        ...(record.key === undefined ? {} : { "messaging.kafka.message.key": record.key.toString("utf8") }),
      },
    },
    parent,
  );
  try {
    const result = await context.with(trace.setSpan(parent, span), handle);
    const error = failed(result);
    if (error !== undefined) span.setStatus({ code: SpanStatusCode.ERROR, message: error });
    return result;
  } catch (e: unknown) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: e instanceof Error ? e.message : String(e) });
    throw e;
  } finally {
    span.end();
  }
}

/**
 * A PRODUCER span `<topic> publish`, child of the active span; returns the `traceparent` to put on
 * the records. The records are sent in batches later: the span marks the hand-over, not the ack.
 */
export function producerTraceparent(topic: string, key: string): string | undefined {
  const tracer = trace.getTracer(tracerName);
  const span: Span = tracer.startSpan(
    `${topic} publish`,
    { kind: SpanKind.PRODUCER, attributes: { "messaging.system": "kafka", "messaging.operation.type": "send", "messaging.destination.name": topic, "messaging.kafka.message.key": key } },
    context.active(),
  );
  const carrier: Record<string, string> = {};
  propagation.inject(trace.setSpan(context.active(), span), carrier);
  span.end();
  return carrier["traceparent"];
}

/**
 * Runs `handle` inside a SERVER span `<METHOD> <route>`, child of the request's `traceparent`;
 * the span ends when the answer is finished.
 */
export function inServerSpan(
  request: { readonly method: string; readonly route: string; readonly path: string; readonly traceparent: string | undefined },
  response: { once(event: "finish" | "close", listener: () => void): unknown; readonly statusCode: number },
  handle: () => void,
): void {
  const parent = contextFrom(request.traceparent ?? "");
  const span = trace.getTracer(tracerName).startSpan(
    `${request.method} ${request.route}`,
    { kind: SpanKind.SERVER, attributes: { "http.request.method": request.method, "http.route": request.route, "url.path": request.path } },
    parent,
  );
  let ended = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    span.setAttribute("http.response.status_code", response.statusCode);
    if (response.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  };
  response.once("finish", end);
  response.once("close", end);
  context.with(trace.setSpan(parent, span), handle);
}

/** A CLIENT span `<METHOD>` around an outgoing HTTP call; `headers` gets its `traceparent`. */
export async function inClientSpan<T>(method: string, url: string, headers: Record<string, string>, call: () => Promise<T & { status: number }>): Promise<T & { status: number }> {
  const span = trace.getTracer(tracerName).startSpan(method, { kind: SpanKind.CLIENT, attributes: { "http.request.method": method, "url.full": url } }, context.active());
  propagation.inject(trace.setSpan(context.active(), span), headers);
  try {
    const result = await call();
    span.setAttribute("http.response.status_code", result.status);
    if (result.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    return result;
  } catch (e: unknown) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: e instanceof Error ? e.message : String(e) });
    throw e;
  } finally {
    span.end();
  }
}
