"""The notification flow through the real SMTP sink: what is sent, to whom, once, and what is published."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from notification.config import Settings
from notification.kafka.dispatcher import DeliveryRetry, Dispatcher
from notification.runtime import Runtime, build_routes
from notification.storage.database import Database, ParkReason
from notification.topics import NOTIFICATION_EVENTS
from polyglot.events.v1 import notification_events_pb2 as notification_events
from tests.smtp_sink.outbox import read_outbox
from tests.support import FakePublisher, SinkThread, demo_order, headers_of, order_record, signup, signup_record

CONTRACT_HEADERS = {
    "ce_specversion",
    "ce_id",
    "ce_source",
    "ce_type",
    "ce_time",
    "content-type",
    "ce_correlationid",
    "ce_causationid",
    "traceparent",
}


def email_events(publisher: FakePublisher) -> list[notification_events.EmailSentEvent]:
    return [notification_events.EmailSentEvent.FromString(r.value) for r in publisher.on(NOTIFICATION_EVENTS)]


async def test_signup_sends_welcome_and_publishes_email_sent(
    runtime: Runtime, publisher: FakePublisher, sink: SinkThread
) -> None:
    record = signup_record(signup(), event_id="evt-signup-1", correlation_id="corr-42")
    await runtime.process(record)

    mails = read_outbox(sink.maildir)
    assert [(m.recipients, m.subject) for m in mails] == [
        (("ada@example.com",), "Welcome to Kafka Polyglot, Ada Lovelace!")
    ]
    assert mails[0].correlation_id == "corr-42"

    [sent] = publisher.on(NOTIFICATION_EVENTS)
    headers = headers_of(sent)
    assert set(headers) == CONTRACT_HEADERS
    assert sent.key == b"u-1"
    assert headers["ce_type"] == "polyglot.events.v1.EmailSentEvent"
    assert headers["ce_source"] == "/notification-service"
    assert headers["ce_specversion"] == "1.0"
    assert headers["content-type"] == "application/protobuf"
    assert headers["ce_correlationid"] == "corr-42"
    assert headers["ce_causationid"] == "evt-signup-1"
    assert headers["traceparent"].startswith("00-0af7651916cd43dd8448eb211c80319c-")
    event = notification_events.EmailSentEvent.FromString(sent.value)
    assert event.email_address == "ada@example.com"
    assert event.email_type == notification_events.EMAIL_TYPE_WELCOME
    assert event.template_id == "welcome"
    assert event.template_variables["signup_source"] == "web"
    assert event.subject == mails[0].subject
    meta = event.event_metadata
    assert (meta.event_id, meta.correlation_id, meta.causation_id) == (headers["ce_id"], "corr-42", "evt-signup-1")
    assert meta.source_service == "notification-service"


async def test_order_confirmation_goes_to_the_users_real_address(
    runtime: Runtime, publisher: FakePublisher, sink: SinkThread
) -> None:
    await runtime.process(signup_record(signup(email="ada.real@example.org")))
    await runtime.process(order_record(demo_order(), event_id="evt-order-1", correlation_id="corr-7"))

    mails = read_outbox(sink.maildir)
    assert len(mails) == 2
    confirmation = mails[1]
    assert confirmation.recipients == ("ada.real@example.org",)
    assert confirmation.subject == "Your order o-1 is pending"
    assert "2 x Kafka mug at USD 29.99 = USD 59.98" in confirmation.text
    assert "Total: USD 109.97" in confirmation.text
    event = email_events(publisher)[1]
    assert event.email_type == notification_events.EMAIL_TYPE_ORDER_CONFIRMATION
    assert event.order_id == "o-1"
    assert event.email_address == "ada.real@example.org"
    assert event.template_variables["total_amount"] == "USD 109.97"
    assert event.event_metadata.causation_id == "evt-order-1"
    assert event.event_metadata.correlation_id == "corr-7"


async def test_redelivered_trigger_sends_once(runtime: Runtime, publisher: FakePublisher, sink: SinkThread) -> None:
    welcome = signup_record(signup(), event_id="evt-1")
    order = order_record(demo_order(), event_id="evt-2")
    for record in (welcome, order, welcome, order, order):
        await runtime.process(record)
    assert len(read_outbox(sink.maildir)) == 2
    assert len(publisher.on(NOTIFICATION_EVENTS)) == 2


async def test_each_order_event_gets_its_confirmation(
    runtime: Runtime, publisher: FakePublisher, sink: SinkThread
) -> None:
    await runtime.process(signup_record(signup()))
    await runtime.process(order_record(demo_order(order_id="welcome"), event_id="evt-a"))
    await runtime.process(order_record(demo_order(order_id="o-2"), event_id="evt-b"))
    assert [m.subject for m in read_outbox(sink.maildir)] == [
        "Welcome to Kafka Polyglot, Ada Lovelace!",
        "Your order welcome is pending",
        "Your order o-2 is pending",
    ]


async def test_order_before_signup_is_parked_then_sent(
    runtime: Runtime, publisher: FakePublisher, database: Database, sink: SinkThread
) -> None:
    await runtime.process(order_record(demo_order(), event_id="evt-early"))
    assert read_outbox(sink.maildir) == []
    assert publisher.records == []
    assert [p.event_id for p in await database.parked()] == ["evt-early"]

    await runtime.process(order_record(demo_order(), event_id="evt-early"))  # redelivered while parked
    await runtime.process(signup_record(signup()))

    assert [m.subject for m in read_outbox(sink.maildir)] == [
        "Welcome to Kafka Polyglot, Ada Lovelace!",
        "Your order o-1 is pending",
    ]
    assert await database.parked() == []
    assert len(publisher.on(NOTIFICATION_EVENTS)) == 2


async def test_order_for_user_never_seen_goes_to_dlq_after_the_wait(
    runtime: Runtime, publisher: FakePublisher, database: Database
) -> None:
    now = [datetime(2026, 11, 25, 8, 0, tzinfo=UTC)]
    dispatcher = Dispatcher(
        routes=build_routes(runtime.service),
        publisher=publisher,
        parking=database,
        group="notification-service",
        user_events_topic="user-events",
        unknown_user_wait=timedelta(seconds=30),
        clock=lambda: now[0],
    )
    record = order_record(demo_order(user_id="ghost"), event_id="evt-ghost", offset=3)
    await dispatcher.handle(record)
    now[0] += timedelta(seconds=29)
    await dispatcher.retry_parked()
    assert publisher.records == [] and len(await database.parked()) == 1

    now[0] += timedelta(seconds=2)
    await dispatcher.retry_parked()
    [dead] = publisher.on("order-events.dlq")
    headers = headers_of(dead)
    assert headers["dlq.reason"] == "retries-exhausted"
    assert headers["dlq.offset"] == "3"
    assert "ghost" in headers["dlq.error"]
    assert dead.value == record.value
    assert await database.parked() == []


async def test_smtp_down_parks_then_dead_letters_after_the_budget(
    settings: Settings, database: Database, publisher: FakePublisher, unused_tcp_port: int
) -> None:
    runtime = Runtime.build(settings.model_copy(update={"smtp_port": unused_tcp_port}), database, publisher)
    now = [datetime.now(UTC)]
    dispatcher = Dispatcher(
        routes=build_routes(runtime.service),
        publisher=publisher,
        parking=database,
        group="notification-service",
        user_events_topic="user-events",
        unknown_user_wait=timedelta(seconds=60),
        delivery_retry=DeliveryRetry(budget=timedelta(seconds=60)),
        clock=lambda: now[0],
    )
    record = signup_record(signup(), event_id="evt-down", offset=5)
    await dispatcher.handle(record)
    [parked] = await database.parked()
    assert (parked.reason, parked.attempts) == (ParkReason.DELIVERY_FAILED, 1)
    assert publisher.records == []

    now[0] += timedelta(seconds=30)
    await dispatcher.retry_parked()
    [parked] = await database.parked()
    assert parked.attempts == 2 and publisher.records == []

    now[0] += timedelta(seconds=31)
    await dispatcher.retry_parked()
    [dead] = publisher.on("user-events.dlq")
    headers = headers_of(dead)
    assert headers["dlq.reason"] == "retries-exhausted"
    assert headers["dlq.offset"] == "5"
    assert "after 2 tries" in headers["dlq.error"]
    assert await database.parked() == []
    registry = runtime.metrics.registry
    assert registry.get_sample_value("notification_smtp_retries_total") == 3
    assert registry.get_sample_value("notification_sends_total", {"type": "welcome", "outcome": "failed"}) == 3


async def test_broker_outage_keeps_the_event_and_sends_no_second_mail(
    runtime: Runtime, publisher: FakePublisher, sink: SinkThread
) -> None:
    record = signup_record(signup(), event_id="evt-outage")
    publisher.failing = True
    with pytest.raises(ConnectionError):
        await runtime.process(record)
    assert len(read_outbox(sink.maildir)) == 1  # sent, and the EmailSentEvent waits in the outbox

    publisher.failing = False
    await runtime.process(record)  # the consumer offers the same record again
    assert len(read_outbox(sink.maildir)) == 1
    [sent] = publisher.on(NOTIFICATION_EVENTS)
    assert headers_of(sent)["ce_causationid"] == "evt-outage"


async def test_welcome_without_a_name_greets_the_address(runtime: Runtime, sink: SinkThread) -> None:
    await runtime.process(signup_record(signup(name="", email="nameless@example.com")))
    [mail] = read_outbox(sink.maildir)
    assert mail.subject == "Welcome to Kafka Polyglot, nameless@example.com!"
