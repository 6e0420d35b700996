"""OpenTelemetry spans of one consumed record, the outgoing traceparent, and trace_id on log lines."""

from __future__ import annotations

import json
import logging
from dataclasses import replace

import pytest
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from notification.config import Settings
from notification.json_logging import configure_logging
from notification.runtime import Runtime
from notification.storage.database import Database
from notification.topics import NOTIFICATION_EVENTS
from notification.tracing import INSTRUMENTATION, tracer_provider
from tests.support import TRACEPARENT, FakePublisher, headers_of, signup, signup_record

INCOMING_TRACE = TRACEPARENT.split("-")[1]
INCOMING_SPAN = TRACEPARENT.split("-")[2]


def by_name(spans: tuple[ReadableSpan, ...]) -> dict[str, ReadableSpan]:
    return {span.name: span for span in spans}


async def test_consumer_send_and_producer_spans_carry_the_records_trace_into_the_email_sent_event(
    settings: Settings, database: Database, publisher: FakePublisher
) -> None:
    exporter = InMemorySpanExporter()
    provider = tracer_provider("notification-service", "notification-service", None, exporter)
    runtime = Runtime.build(settings, database, publisher, provider.get_tracer(INSTRUMENTATION))

    await runtime.process(signup_record(signup(), event_id="evt-trace-1"))

    spans = by_name(exporter.get_finished_spans())
    consumer = spans["user-events process"]
    send = spans["smtp send"]
    producer = spans["notification-events publish"]
    assert consumer.kind is SpanKind.CONSUMER
    assert send.kind is SpanKind.CLIENT
    assert producer.kind is SpanKind.PRODUCER
    # The consumer span continues the record's traceparent: a child of the producer's span upstream.
    assert f"{consumer.context.trace_id:032x}" == INCOMING_TRACE
    assert consumer.parent is not None and f"{consumer.parent.span_id:016x}" == INCOMING_SPAN
    assert send.parent is not None and send.parent.span_id == consumer.context.span_id
    assert producer.parent is not None and producer.parent.span_id == consumer.context.span_id
    assert consumer.attributes is not None
    assert consumer.attributes["messaging.destination.name"] == "user-events"
    assert consumer.attributes["messaging.kafka.message.key"] == "u-1"
    assert consumer.attributes["messaging.consumer.group.name"] == "notification-service"
    assert provider.resource.attributes["service.name"] == "notification-service"

    [sent] = publisher.on(NOTIFICATION_EVENTS)
    assert headers_of(sent)["traceparent"] == f"00-{INCOMING_TRACE}-{producer.context.span_id:016x}-01"


async def test_a_record_without_traceparent_starts_a_trace_of_its_own(
    settings: Settings, database: Database, publisher: FakePublisher
) -> None:
    exporter = InMemorySpanExporter()
    provider = tracer_provider("notification-service", "notification-service", None, exporter)
    runtime = Runtime.build(settings, database, publisher, provider.get_tracer(INSTRUMENTATION))
    record = signup_record(signup(), event_id="evt-trace-2")
    record = replace(record, headers=tuple(h for h in record.headers if h[0] != "traceparent"))

    await runtime.process(record)

    consumer = by_name(exporter.get_finished_spans())["user-events process"]
    assert consumer.parent is None
    [sent] = publisher.on(NOTIFICATION_EVENTS)
    assert headers_of(sent)["traceparent"].split("-")[1] == f"{consumer.context.trace_id:032x}"


def test_log_lines_within_a_span_carry_its_trace_id(capsys: pytest.CaptureFixture[str]) -> None:
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    provider = tracer_provider("notification-service", "notification-service", None)
    try:
        configure_logging("notification-service", "INFO")
        with provider.get_tracer("test").start_as_current_span("work") as span:
            logging.getLogger("notification.test").info("inside", extra={"correlation_id": "c-1"})
        logging.getLogger("notification.test").info("outside")
    finally:
        root.handlers[:], _ = saved
        root.setLevel(saved[1])
    inside, outside = (json.loads(line) for line in capsys.readouterr().out.splitlines()[-2:])
    assert inside["trace_id"] == f"{span.get_span_context().trace_id:032x}"
    assert inside["span_id"] == f"{span.get_span_context().span_id:016x}"
    assert inside["correlation_id"] == "c-1"
    assert "trace_id" not in outside
