"""Against the real broker (KAFKA_BOOTSTRAP_SERVERS, default 127.0.0.1:9092) and the real SMTP sink.

Runs on private topics (a unique suffix per run) so it neither reads nor disturbs the stack's own
records; the service runs whole: create_app with the real producer and consumer. Deselected by
default; run with `pytest -m integration` while `./polyglot up --only kafka` is up.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from confluent_kafka import Producer
from fastapi.testclient import TestClient
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from notification.config import Settings
from notification.main import create_app
from polyglot.events.v1 import notification_events_pb2 as notification_events
from tests.integration.broker import (
    BOOTSTRAP,
    MIB,
    TOPIC_MAX_MESSAGE_BYTES,
    end_offsets,
    headers_of_message,
    read_all,
    wait_for,
    wait_for_drained,
)
from tests.smtp_sink.outbox import ReceivedMail, read_outbox
from tests.support import SinkThread, demo_order, order_record, record_of, signup, signup_record

pytestmark = pytest.mark.integration


def settings_for(tmp_path: Path, topics: dict[str, str], sink: SinkThread) -> Settings:
    return Settings(
        kafka_bootstrap_servers=BOOTSTRAP,
        consumer_group=f"notification-service-it-{uuid.uuid4().hex[:8]}",
        user_events_topic=topics["user-events"],
        order_events_topic=topics["order-events"],
        notification_events_topic=topics["notification-events"],
        data_dir=tmp_path / "data",
        smtp_port=sink.port,
        zipkin_endpoint="off",
    )


def test_early_order_and_signup_mail_once_even_on_replay(tmp_path: Path, topics: dict[str, str]) -> None:
    sink = SinkThread(tmp_path / "sink").start()
    settings = settings_for(tmp_path, topics, sink)
    user_id = f"it-{uuid.uuid4()}"
    email = f"{user_id}@example.com"
    order = order_record(
        demo_order(user_id=user_id, order_id="o-it"), event_id=str(uuid.uuid4()), correlation_id="corr-o"
    )
    welcome = signup_record(signup(user_id=user_id, email=email), event_id=str(uuid.uuid4()), correlation_id="corr-s")
    poison = record_of("user-events", signup(), key=user_id, ce_type="polyglot.events.v1.NoSuchEvent")

    spans = InMemorySpanExporter()
    try:
        with TestClient(create_app(settings, span_exporter=spans)) as client:
            wait_for("/health UP", lambda: client.get("/health").status_code == 200)
            producer = Producer({"bootstrap.servers": BOOTSTRAP})
            # The order first: its user's sign-up travels on the other topic and arrives later.
            for topic, record in (
                (topics["order-events"], order),
                (topics["user-events"], welcome),
                (topics["user-events"], poison),
            ):
                producer.produce(topic, value=record.value, key=record.key, headers=list(record.headers))
            assert producer.flush(30) == 0

            sent = read_all(topics["notification-events"], 2)
            dead = read_all(f"{topics['user-events']}.dlq", 1)

            def two_mails() -> list[ReceivedMail] | None:
                mails = read_outbox(sink.maildir)
                return mails if len(mails) >= 2 else None

            wait_for("two mails in the sink", two_mails)
            # The mails and the dead letter are there; the counts may still be moving until the group
            # has committed every input record (each handled, the parked order too, before that).
            wait_for_drained(settings.consumer_group, [topics["user-events"], topics["order-events"]])
            # A record is counted right after its offset is stored, which the commit may overtake:
            # the count is waited for (a third would never match), not read once.
            consumed = f'notification_records_consumed_total{{topic="{topics["user-events"]}"}} 2.0'
            wait_for("both user-events records counted", lambda: consumed in client.get("/metrics").text)
            assert "notification_consumer_lag{partition=" in client.get("/metrics").text
            mails = read_outbox(sink.maildir)
            assert len(mails) == 2
            assert end_offsets(f"{topics['user-events']}.dlq") == 1

        # Replay both input topics from the start (a new group, the same database): nothing is sent twice.
        replay = settings.model_copy(update={"consumer_group": f"{settings.consumer_group}-replay"})
        with TestClient(create_app(replay)) as client:

            def replayed_all() -> bool:
                text = client.get("/metrics").text
                return all(
                    f'notification_records_consumed_total{{topic="{topics[name]}"}} {count}.0' in text
                    for name, count in (("user-events", 2), ("order-events", 1))
                )

            wait_for("the replay to consume all three records", replayed_all)
            assert 'notification_sends_total{outcome="duplicate",type="welcome"} 1.0' in client.get("/metrics").text
        assert len(read_outbox(sink.maildir)) == 2
        assert end_offsets(topics["notification-events"]) == 2
    finally:
        sink.stop()

    assert sorted(m.subject for m in mails) == [
        "Welcome to Kafka Polyglot, Ada Lovelace!",
        "Your order o-it is pending",
    ]
    assert all(m.recipients == (email,) for m in mails)
    confirmation = next(m for m in mails if m.subject.startswith("Your order"))
    assert confirmation.correlation_id == "corr-o"
    assert "Total: USD 109.97" in confirmation.text
    assert "2 x Kafka mug at USD 29.99 = USD 59.98" in confirmation.text
    assert "<strong>USD 109.97</strong>" in confirmation.html

    finished = {span.context.span_id: span for span in spans.get_finished_spans()}
    by_cause = {headers_of_message(m)["ce_causationid"]: m for m in sent}
    assert set(by_cause) == {welcome.header("ce_id"), order.header("ce_id")}
    for trigger, correlation, kind in (
        (welcome, "corr-s", notification_events.EMAIL_TYPE_WELCOME),
        (order, "corr-o", notification_events.EMAIL_TYPE_ORDER_CONFIRMATION),
    ):
        message = by_cause[trigger.header("ce_id") or ""]
        headers = headers_of_message(message)
        assert message.key() == user_id.encode()
        assert headers["ce_type"] == "polyglot.events.v1.EmailSentEvent"
        assert headers["ce_source"] == "/notification-service"
        assert headers["ce_correlationid"] == correlation
        event = notification_events.EmailSentEvent.FromString(message.value() or b"")
        assert event.email_address == email
        assert event.email_type == kind
        assert event.event_metadata.event_id == headers["ce_id"]
        assert event.event_metadata.causation_id == trigger.header("ce_id")
        # Traced through: the outgoing traceparent is in the incoming record's trace, and names the
        # PRODUCER span, child of the CONSUMER span that continued the incoming traceparent.
        incoming = (trigger.header("traceparent") or "").split("-")
        outgoing = headers["traceparent"].split("-")
        assert outgoing[1] == incoming[1]
        publish = finished[int(outgoing[2], 16)]
        assert publish.kind is SpanKind.PRODUCER and publish.parent is not None
        process = finished[publish.parent.span_id]
        assert process.kind is SpanKind.CONSUMER and process.parent is not None
        assert f"{process.parent.span_id:016x}" == incoming[2]

    [letter] = dead
    dlq = headers_of_message(letter)
    assert dlq["dlq.reason"] == "unknown-type"
    assert dlq["dlq.topic"] == topics["user-events"]
    assert dlq["dlq.group"] == settings.consumer_group
    assert letter.value() == poison.value and letter.key() == poison.key


def test_a_one_mebibyte_poison_record_goes_to_the_dlq_and_the_partition_moves_on(
    tmp_path: Path, topics: dict[str, str]
) -> None:
    """The chaos poison's large record: its DLQ copy (1 MiB plus the dlq.* headers) is above librdkafka's
    default message.max.bytes, and once blocked the partition behind it."""
    sink = SinkThread(tmp_path / "sink").start()
    settings = settings_for(tmp_path, topics, sink)
    user_id = f"it-{uuid.uuid4()}"
    email = f"{user_id}@example.com"
    big = b"\x0f" + os.urandom(MIB - 1)  # field 1 with wire type 7: no parser takes it
    poisons = {
        "user-events": record_of("user-events", signup(), key=user_id, correlation_id="corr-big-u", value=big),
        "order-events": order_record(demo_order(user_id=user_id), correlation_id="corr-big-o", value=big),
    }
    # Same key, so the same partition: the good records queue right behind the poison.
    welcome = signup_record(signup(user_id=user_id, email=email), event_id=str(uuid.uuid4()))
    order = order_record(demo_order(user_id=user_id, order_id="o-big"), event_id=str(uuid.uuid4()))
    try:
        with TestClient(create_app(settings)) as client:
            wait_for("/health UP", lambda: client.get("/health").status_code == 200)
            producer = Producer({"bootstrap.servers": BOOTSTRAP, "message.max.bytes": 2 * TOPIC_MAX_MESSAGE_BYTES})
            for base, good in (("user-events", welcome), ("order-events", order)):
                for record in (poisons[base], good):
                    producer.produce(topics[base], value=record.value, key=record.key, headers=list(record.headers))
            assert producer.flush(30) == 0

            letters = {base: read_all(f"{topics[base]}.dlq", 1) for base in ("user-events", "order-events")}

            def two_mails() -> list[ReceivedMail] | None:
                mails = read_outbox(sink.maildir)
                return mails if len(mails) >= 2 else None

            wait_for("the good records' mails", two_mails)
            # Once the group committed past every record, no mail or dead letter is still to come.
            wait_for_drained(settings.consumer_group, [topics["user-events"], topics["order-events"]])
            mails = read_outbox(sink.maildir)
            metrics = client.get("/metrics").text
            for base in ("user-events", "order-events"):
                assert end_offsets(f"{topics[base]}.dlq") == 1
        assert "notification_records_given_up_total{" not in metrics
    finally:
        sink.stop()

    for base, [letter] in letters.items():
        headers = headers_of_message(letter)
        assert headers["dlq.reason"] == "decode-error"
        assert headers["dlq.topic"] == topics[base]
        assert headers["ce_correlationid"] == poisons[base].header("ce_correlationid")
        assert letter.key() == user_id.encode()
        assert letter.value() == big
    assert sorted(m.subject for m in mails) == [
        "Welcome to Kafka Polyglot, Ada Lovelace!",
        "Your order o-big is pending",
    ]
    assert all(m.recipients == (email,) for m in mails)
