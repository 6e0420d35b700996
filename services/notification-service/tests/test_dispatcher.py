"""Routing by ce_type and dead-lettering of poison records (fake publisher: unit level)."""

from __future__ import annotations

from datetime import timedelta

from notification.cloudevents import Trigger
from notification.kafka.dispatcher import Dispatcher, Route
from notification.kafka.records import InboundRecord
from notification.runtime import Runtime
from notification.storage.database import Database
from notification.topics import NOTIFICATION_EVENTS
from polyglot.events.v1 import order_events_pb2 as order_events
from polyglot.events.v1 import user_events_pb2 as user_events
from tests.support import FakePublisher, demo_order, headers_of, order_record, record_of, signup, signup_record

DLQ_HEADERS = ("dlq.reason", "dlq.error", "dlq.topic", "dlq.partition", "dlq.offset", "dlq.group", "dlq.time")


def assert_dead_lettered(publisher: FakePublisher, record: InboundRecord, reason: str) -> dict[str, str]:
    dead = publisher.on(f"{record.topic}.dlq")
    assert len(dead) == 1
    letter = dead[0]
    assert letter.key == record.key
    assert letter.value == record.value
    assert letter.headers[: len(record.headers)] == record.headers
    headers = headers_of(letter)
    assert all(name in headers for name in DLQ_HEADERS)
    assert headers["dlq.reason"] == reason
    assert headers["dlq.topic"] == record.topic
    assert headers["dlq.partition"] == str(record.partition)
    assert headers["dlq.offset"] == str(record.offset)
    assert headers["dlq.group"] == "notification-service"
    assert headers["dlq.time"].endswith("Z")
    assert "\n" not in headers["dlq.error"]
    return headers


async def test_route_by_ce_type_sends_welcome(runtime: Runtime, publisher: FakePublisher) -> None:
    await runtime.process(signup_record(signup()))
    assert [headers_of(r)["ce_type"] for r in publisher.records] == ["polyglot.events.v1.EmailSentEvent"]


async def test_route_known_type_without_mail_is_acknowledged(runtime: Runtime, publisher: FakePublisher) -> None:
    payment = order_events.PaymentProcessedEvent(
        order_id="o-1", user_id="u-1", status=order_events.PAYMENT_STATUS_APPROVED
    )
    await runtime.process(record_of("order-events", payment, key="u-1"))
    assert publisher.records == []


async def test_route_follows_header_not_payload(runtime: Runtime, publisher: FakePublisher) -> None:
    # A sign-up's bytes labelled as OrderShippedEvent decode as that type (protobuf parses most bytes
    # as most messages): the header decides, so no welcome mail goes out.
    record = record_of("user-events", signup(), key="u-1", ce_type=order_events.OrderShippedEvent.DESCRIPTOR.full_name)
    await runtime.process(record)
    assert publisher.on(NOTIFICATION_EVENTS) == []


async def test_unknown_type_goes_to_dlq(runtime: Runtime, publisher: FakePublisher) -> None:
    record = record_of("user-events", signup(), key="u-1", ce_type="polyglot.events.v1.NoSuchEvent", offset=7)
    await runtime.process(record)
    headers = assert_dead_lettered(publisher, record, "unknown-type")
    assert "polyglot.events.v1.NoSuchEvent" in headers["dlq.error"]
    assert headers["dlq.offset"] == "7"


async def test_missing_header_goes_to_dlq(runtime: Runtime, publisher: FakePublisher) -> None:
    record = record_of("order-events", demo_order(), key="u-1", omit=("ce_type",))
    await runtime.process(record)
    headers = assert_dead_lettered(publisher, record, "missing-header")
    assert "ce_type" in headers["dlq.error"]


async def test_undecodable_value_goes_to_dlq(runtime: Runtime, publisher: FakePublisher) -> None:
    record = record_of("user-events", signup(), key="u-1", value=b"\xff\xff\xff\xff not protobuf")
    await runtime.process(record)
    assert_dead_lettered(publisher, record, "decode-error")
    assert publisher.on(NOTIFICATION_EVENTS) == []


async def test_failing_handler_goes_to_dlq_and_consumer_goes_on(database: Database, publisher: FakePublisher) -> None:
    async def explode(_event: object, _trigger: Trigger) -> None:
        raise ValueError("boom\nsecond line")

    handled: list[str] = []

    async def remember(event: user_events.UserSignupEvent, _trigger: Trigger) -> None:
        handled.append(event.user_id)

    dispatcher = Dispatcher(
        routes={
            order_events.OrderCreatedEvent.DESCRIPTOR.full_name: Route(order_events.OrderCreatedEvent, explode),
            user_events.UserSignupEvent.DESCRIPTOR.full_name: Route(user_events.UserSignupEvent, remember),
        },
        publisher=publisher,
        parking=database,
        group="notification-service",
        user_events_topic="user-events",
        unknown_user_wait=timedelta(seconds=60),
    )
    poison = order_record(demo_order())
    await dispatcher.handle(poison)
    await dispatcher.handle(signup_record(signup(user_id="u-9")))
    headers = assert_dead_lettered(publisher, poison, "handler-error")
    assert headers["dlq.error"] == "ValueError: boom second line"
    assert handled == ["u-9"]
