"""The contract probe: the real routing hands each event to the recorder, which prints its view."""

from __future__ import annotations

import asyncio
import io
import json
import signal
import socket
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from notification.contract_probe import Recorder, decimal_text, double_view, enum_view
from notification.kafka.dispatcher import Dispatcher
from notification.kafka.records import InboundRecord
from notification.notifications.money import to_decimal
from notification.runtime import build_routes
from notification.storage.database import Database
from notification.topics import ORDER_EVENTS, USER_EVENTS
from polyglot.common.v1.money_pb2 import Money
from polyglot.events.v1 import order_events_pb2 as order_events
from polyglot.events.v1 import user_events_pb2 as user_events
from tests.support import TRACEPARENT, FakePublisher, demo_order, headers_of, order_record, record_of, signup

GROUP = "contract-notification-service-test"


@dataclass
class Probe:
    dispatcher: Dispatcher
    publisher: FakePublisher
    out: io.StringIO

    def lines(self) -> list[object]:
        return [json.loads(line) for line in self.out.getvalue().splitlines()]


@pytest.fixture
async def probe(tmp_path: Path) -> AsyncIterator[Probe]:
    database = await Database.open(tmp_path / "parking.sqlite3")
    publisher = FakePublisher()
    out = io.StringIO()
    dispatcher = Dispatcher(
        routes=build_routes(Recorder(out)),
        publisher=publisher,
        parking=database,
        group=GROUP,
        user_events_topic=USER_EVENTS,
        unknown_user_wait=timedelta(seconds=60),
    )
    yield Probe(dispatcher, publisher, out)
    await database.close()


async def test_signup_prints_every_field_the_service_reads(probe: Probe) -> None:
    event = signup(user_id="u-7", email="zoe@example.com", name="Zoë Ångström 山田", phone_number="+14155550101")
    await probe.dispatcher.handle(record_of(USER_EVENTS, event, key="u-7", event_id="e-1", correlation_id="c-1"))
    assert probe.lines() == [
        {
            "type": "polyglot.events.v1.UserSignupEvent",
            "view": {
                "event_id": "e-1",
                "correlation_id": "c-1",
                "traceparent": TRACEPARENT,
                "user_id": "u-7",
                "email": "zoe@example.com",
                "name": "Zoë Ångström 山田",
                "phone_number": "+14155550101",
                "source": "SIGNUP_SOURCE_WEB",
            },
        }
    ]


async def test_user_updated_prints_changed_fields_in_order(probe: Probe) -> None:
    event = user_events.UserUpdatedEvent(
        user_id="u-1",
        email="new@example.com",
        name="Ada King",
        phone_number="+441234",
        updated_fields=["name", "email"],
        previous_email="old@example.com",
    )
    await probe.dispatcher.handle(record_of(USER_EVENTS, event, key="u-1", event_id="e-2", correlation_id="c-2"))
    assert probe.lines() == [
        {
            "type": "polyglot.events.v1.UserUpdatedEvent",
            "view": {
                "event_id": "e-2",
                "correlation_id": "c-2",
                "traceparent": TRACEPARENT,
                "user_id": "u-1",
                "email": "new@example.com",
                "name": "Ada King",
                "phone_number": "+441234",
                "updated_fields": ["name", "email"],
                "previous_email": "old@example.com",
            },
        }
    ]


async def test_order_created_prints_exact_money(probe: Probe) -> None:
    await probe.dispatcher.handle(order_record(demo_order(), event_id="e-3", correlation_id="c-3"))
    assert probe.lines() == [
        {
            "type": "polyglot.events.v1.OrderCreatedEvent",
            "view": {
                "event_id": "e-3",
                "correlation_id": "c-3",
                "traceparent": TRACEPARENT,
                "order_id": "o-1",
                "user_id": "u-1",
                "status": "ORDER_STATUS_PENDING",
                "currency": "USD",
                "total_amount": 109.97,
                "total_money": {"currency_code": "USD", "amount": "109.97"},
                "items": [
                    {
                        "product_id": "prod_1",
                        "product_name": "Kafka mug",
                        "quantity": 2,
                        "unit_price": 29.99,
                        "unit_price_money": {"currency_code": "USD", "amount": "29.99"},
                    },
                    {
                        "product_id": "prod_2",
                        "product_name": "",
                        "quantity": 1,
                        "unit_price": 49.99,
                        "unit_price_money": {"currency_code": "USD", "amount": "49.99"},
                    },
                ],
            },
        }
    ]


async def test_order_without_money_prints_null_money(probe: Probe) -> None:
    # What a producer on the seed's schema writes: doubles only.
    event = order_events.OrderCreatedEvent(
        order_id="o-2",
        user_id="u-1",
        total_amount=5.5,
        status=order_events.ORDER_STATUS_CONFIRMED,
        items=[order_events.OrderItem(product_id="p", quantity=1, unit_price=5.5)],
    )
    await probe.dispatcher.handle(record_of(ORDER_EVENTS, event, key="u-1", event_id="e-4", correlation_id="c-4"))
    [line] = probe.lines()
    assert isinstance(line, dict)
    view = line["view"]
    assert view["total_money"] is None
    assert view["currency"] == ""
    assert view["items"] == [
        {"product_id": "p", "product_name": "", "quantity": 1, "unit_price": 5.5, "unit_price_money": None}
    ]


async def test_shipped_and_cancelled_print_their_fields(probe: Probe) -> None:
    shipped = order_events.OrderShippedEvent(order_id="o-1", user_id="u-1", tracking_number="TRK-1", carrier="UPS")
    cancelled = order_events.OrderCancelledEvent(order_id="o-2", user_id="u-1", reason="payment declined")
    await probe.dispatcher.handle(record_of(ORDER_EVENTS, shipped, key="u-1", event_id="e-5", correlation_id="c-5"))
    await probe.dispatcher.handle(record_of(ORDER_EVENTS, cancelled, key="u-1", event_id="e-6", correlation_id="c-6"))
    envelope = {"traceparent": TRACEPARENT}
    assert probe.lines() == [
        {
            "type": "polyglot.events.v1.OrderShippedEvent",
            "view": {
                **envelope,
                "event_id": "e-5",
                "correlation_id": "c-5",
                "order_id": "o-1",
                "user_id": "u-1",
                "tracking_number": "TRK-1",
                "carrier": "UPS",
            },
        },
        {
            "type": "polyglot.events.v1.OrderCancelledEvent",
            "view": {
                **envelope,
                "event_id": "e-6",
                "correlation_id": "c-6",
                "order_id": "o-2",
                "user_id": "u-1",
                "reason": "payment declined",
            },
        },
    ]


def _varint(number: int) -> bytes:
    out = bytearray()
    while True:
        low, number = number & 0x7F, number >> 7
        out.append(low | (0x80 if number else 0))
        if not number:
            return bytes(out)


def _unknown_fields() -> bytes:
    """What a producer on a newer schema adds: a varint, a length-delimited, a fixed32 and a fixed64 field."""
    return (
        _varint(1000 << 3 | 0)
        + _varint(123456789)
        + _varint(1001 << 3 | 2)
        + _varint(5)
        + b"newer"
        + _varint(1002 << 3 | 5)
        + b"\x01\x02\x03\x04"
        + _varint(1003 << 3 | 1)
        + b"\x01\x02\x03\x04\x05\x06\x07\x08"
    )


async def test_unknown_fields_give_the_view_of_the_known_ones(probe: Probe) -> None:
    order = demo_order()
    newer = order.SerializeToString() + _unknown_fields()
    await probe.dispatcher.handle(order_record(order, event_id="e-7", correlation_id="c-7"))
    await probe.dispatcher.handle(order_record(order, event_id="e-7", correlation_id="c-7", value=newer))
    first, second = probe.lines()
    assert first == second
    assert probe.publisher.records == []


async def test_payment_processed_reaches_no_handler(probe: Probe) -> None:
    payment = order_events.PaymentProcessedEvent(order_id="o-1", user_id="u-1")
    await probe.dispatcher.handle(record_of(ORDER_EVENTS, payment, key="u-1"))
    assert probe.lines() == []
    assert probe.publisher.records == []


async def test_unknown_type_is_dead_lettered_with_the_probe_group(probe: Probe) -> None:
    record: InboundRecord = record_of(USER_EVENTS, signup(), key="u-1", ce_type="polyglot.events.v1.NoSuchEvent")
    await probe.dispatcher.handle(record)
    assert probe.lines() == []
    [letter] = probe.publisher.on(f"{USER_EVENTS}.dlq")
    assert headers_of(letter)["dlq.group"] == GROUP
    assert headers_of(letter)["dlq.reason"] == "unknown-type"


@pytest.mark.parametrize(
    ("units", "nanos", "text"),
    [
        (29, 990_000_000, "29.99"),
        (29, 0, "29"),
        (100, 0, "100"),
        (0, 500_000_000, "0.5"),
        (0, 0, "0"),
        (-1, -250_000_000, "-1.25"),
        (0, 1, "0.000000001"),
        (9_223_372_036_854_775_807, 999_999_999, "9223372036854775807.999999999"),
    ],
)
def test_decimal_text_is_exact_and_plain(units: int, nanos: int, text: str) -> None:
    assert decimal_text(to_decimal(Money(units=units, nanos=nanos))) == text


def test_values_json_cannot_hold_are_spelled_as_protobuf_json() -> None:
    assert [double_view(float("nan")), double_view(float("inf")), double_view(float("-inf"))] == [
        "NaN",
        "Infinity",
        "-Infinity",
    ]
    assert enum_view(user_events.SignupSource, 2) == "SIGNUP_SOURCE_MOBILE"
    assert enum_view(user_events.SignupSource, 42) == 42


class ClosedPipe(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


async def test_closed_stdout_stops_the_probe_instead_of_dead_lettering(tmp_path: Path) -> None:
    database = await Database.open(tmp_path / "parking.sqlite3")
    publisher = FakePublisher()
    stopped = asyncio.Event()
    recorder = Recorder(ClosedPipe(), on_closed=stopped.set)
    dispatcher = Dispatcher(
        routes=build_routes(recorder),
        publisher=publisher,
        parking=database,
        group=GROUP,
        user_events_topic=USER_EVENTS,
        unknown_user_wait=timedelta(seconds=60),
    )
    try:
        await dispatcher.handle(record_of(USER_EVENTS, signup(), key="u-1"))
        await dispatcher.handle(order_record(demo_order()))
    finally:
        await database.close()
    assert recorder.closed and stopped.is_set()
    assert publisher.records == []


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_probe_exits_zero_on_sigterm_with_nothing_on_stdout(tmp_path: Path) -> None:
    # No broker on that port: the consumer subscribes and polls in vain until it is told to stop.
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "notification.contract_probe",
        "--bootstrap",
        f"127.0.0.1:{_free_port()}",
        "--group",
        GROUP,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=tmp_path,
    )
    assert process.stderr is not None

    async def subscribed() -> None:
        assert process.stderr is not None
        while line := await process.stderr.readline():
            # librdkafka may write plain lines of its own to stderr besides our JSON logs.
            if b'"message": "consumer subscribed"' in line:
                return
        raise AssertionError("the probe ended before it subscribed")

    try:
        await asyncio.wait_for(subscribed(), timeout=30)
        process.send_signal(signal.SIGTERM)
        stdout, _stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0
    assert stdout == b""
