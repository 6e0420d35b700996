"""OpenTelemetry tracing: the official SDK, spans exported to Zipkin's v2 JSON intake (infra/zipkin/README.md).

Spans (Zipkin draws parent/child, not links, so each one is a child):
- `<topic> process` (CONSUMER), child of the context in the consumed record's `traceparent`;
- `smtp send` / `sms send` (CLIENT), child of the consumer span;
- `<topic> publish` (PRODUCER), child of the consumer span, whose context is the `traceparent`
  of the EmailSentEvent / SMSSentEvent. The event goes through the outbox: the span covers
  queueing it with the sent-log line; the outbox relay publishes it right after (or after a crash).

The provider is the app's own (not the global one), so that tests can give each app an in-memory
exporter; log lines find the current span through the context, which needs no provider.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.exporter.zipkin.json import ZipkinExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor, SpanExporter
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

_propagator = TraceContextTextMapPropagator()

INSTRUMENTATION = "notification-service"


def tracer_provider(
    service_name: str, instance: str, zipkin_endpoint: str | None, exporter: SpanExporter | None = None
) -> TracerProvider:
    """Batches spans to Zipkin (flushed by `shutdown`); `exporter` (tests) gets each span as it ends.
    The sampler comes from OTEL_TRACES_SAMPLER (the SDK's default: parentbased_always_on)."""
    provider = TracerProvider(
        resource=Resource.create({"service.name": service_name, "service.instance.id": instance}),
        shutdown_on_exit=False,
    )
    if zipkin_endpoint:
        provider.add_span_processor(BatchSpanProcessor(ZipkinExporter(endpoint=zipkin_endpoint, timeout=5)))
    if exporter is not None:
        provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider


def extract(headers: Iterable[tuple[str, bytes]]) -> Context:
    """The context of a record's `traceparent` (W3C), or an empty one (a new trace) when it has none."""
    carrier: dict[str, str] = {}
    for name, value in headers:
        if name in ("traceparent", "tracestate"):
            carrier[name] = value.decode(errors="replace")
    return _propagator.extract(carrier)


def current_traceparent() -> str:
    """The W3C traceparent of the current span ("" outside a valid span)."""
    carrier: dict[str, str] = {}
    _propagator.inject(carrier)
    return carrier.get("traceparent", "")


def messaging_attributes(
    topic: str, partition: int, offset: int, key: bytes | None, group: str
) -> Mapping[str, str | int]:
    return {
        "messaging.system": "kafka",
        "messaging.operation.type": "process",
        "messaging.destination.name": topic,
        "messaging.destination.partition.id": str(partition),
        "messaging.kafka.message.key": (key or b"").decode(errors="replace"),
        "messaging.kafka.offset": offset,
        "messaging.consumer.group.name": group,
    }


class TraceIdFilter(logging.Filter):
    """Puts `trace_id` and `span_id` of the current span on each log record, so a log line leads
    to its trace in Zipkin (`/zipkin/traces/<trace_id>`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = trace.get_current_span().get_span_context()
        if context.is_valid:
            record.trace_id = trace.format_trace_id(context.trace_id)
            record.span_id = trace.format_span_id(context.span_id)
        return True
