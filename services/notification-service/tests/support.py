"""Builders and fakes shared by the tests (fakes are for unit tests only)."""

from __future__ import annotations

import asyncio
import threading
import uuid
from pathlib import Path

from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp

from notification.cloudevents import Headers, OutgoingRecord
from notification.kafka.records import InboundRecord
from notification.topics import ORDER_EVENTS, USER_EVENTS
from polyglot.common.v1.metadata_pb2 import EventMetadata
from polyglot.common.v1.money_pb2 import Money
from polyglot.events.v1 import order_events_pb2 as order_events
from polyglot.events.v1 import user_events_pb2 as user_events
from tests.smtp_sink.handler import MaildirSink
from tests.smtp_sink.server import serve

TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


class FakePublisher:
    """Records what would go to Kafka; `failing` makes every publish raise like an absent broker."""

    def __init__(self) -> None:
        self.records: list[OutgoingRecord] = []
        self.failing = False

    async def publish(self, record: OutgoingRecord) -> None:
        if self.failing:
            raise ConnectionError("broker unreachable")
        self.records.append(record)

    async def ping(self, timeout: float = 3.0) -> None:
        if self.failing:
            raise ConnectionError("broker unreachable")

    def on(self, topic: str) -> list[OutgoingRecord]:
        return [r for r in self.records if r.topic == topic]


def headers_of(record: OutgoingRecord | InboundRecord) -> dict[str, str]:
    return {name: value.decode() for name, value in record.headers}


def ce_headers(
    ce_type: str,
    *,
    event_id: str,
    correlation_id: str,
    source: str,
    causation_id: str = "",
    omit: tuple[str, ...] = (),
) -> Headers:
    values = {
        "ce_specversion": "1.0",
        "ce_id": event_id,
        "ce_source": source,
        "ce_type": ce_type,
        "ce_time": "2026-11-25T08:00:00.000Z",
        "content-type": "application/protobuf",
        "ce_correlationid": correlation_id,
        "ce_causationid": causation_id,
        "traceparent": TRACEPARENT,
    }
    return tuple((name, value.encode()) for name, value in values.items() if name not in omit)


def record_of(
    topic: str,
    message: Message,
    *,
    key: str,
    event_id: str | None = None,
    correlation_id: str = "corr-1",
    source: str = "/test",
    offset: int = 0,
    ce_type: str | None = None,
    omit: tuple[str, ...] = (),
    value: bytes | None = None,
) -> InboundRecord:
    return InboundRecord(
        topic=topic,
        partition=0,
        offset=offset,
        key=key.encode(),
        value=message.SerializeToString() if value is None else value,
        headers=ce_headers(
            ce_type or message.DESCRIPTOR.full_name,
            event_id=event_id or str(uuid.uuid4()),
            correlation_id=correlation_id,
            source=source,
            omit=omit,
        ),
    )


def _timestamp() -> Timestamp:
    ts = Timestamp()
    ts.FromJsonString("2026-11-25T08:00:00.123456789Z")
    return ts


def signup(
    user_id: str = "u-1", email: str = "ada@example.com", name: str = "Ada Lovelace", phone_number: str = ""
) -> user_events.UserSignupEvent:
    return user_events.UserSignupEvent(
        user_id=user_id,
        email=email,
        name=name,
        phone_number=phone_number,
        signup_timestamp=_timestamp(),
        source=user_events.SIGNUP_SOURCE_WEB,
        event_metadata=EventMetadata(event_id="meta", correlation_id="corr-1", source_service="user-service"),
    )


def signup_record(event: user_events.UserSignupEvent, **kwargs: object) -> InboundRecord:
    return record_of(USER_EVENTS, event, key=event.user_id, source="/user-service", **kwargs)  # type: ignore[arg-type]


def demo_order(user_id: str = "u-1", order_id: str = "o-1") -> order_events.OrderCreatedEvent:
    """2 x 29.99 + 1 x 49.99 = 109.97 exactly."""
    return order_events.OrderCreatedEvent(
        order_id=order_id,
        user_id=user_id,
        total_amount=109.97,
        currency="USD",
        status=order_events.ORDER_STATUS_PENDING,
        items=[
            order_events.OrderItem(
                product_id="prod_1",
                product_name="Kafka mug",
                quantity=2,
                unit_price=29.99,
                unit_price_money=Money(currency_code="USD", units=29, nanos=990_000_000),
            ),
            order_events.OrderItem(
                product_id="prod_2",
                quantity=1,
                unit_price=49.99,
                unit_price_money=Money(currency_code="USD", units=49, nanos=990_000_000),
            ),
        ],
        created_timestamp=_timestamp(),
        total_money=Money(currency_code="USD", units=109, nanos=970_000_000),
    )


def order_record(event: order_events.OrderCreatedEvent, **kwargs: object) -> InboundRecord:
    return record_of(ORDER_EVENTS, event, key=event.user_id, source="/order-service", **kwargs)  # type: ignore[arg-type]


class SinkThread:
    """The tests' SMTP sink (aiosmtpd, tests/smtp_sink) on a free port, in its own thread and loop,
    so that both async tests and TestClient (which blocks its caller) can talk to it."""

    def __init__(self, data_dir: Path, handler: MaildirSink | None = None) -> None:
        self.maildir = data_dir / "maildir"
        self._handler = handler
        self.port = 0
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, name="smtp-sink", daemon=True)
        self._error: BaseException | None = None

    def _listening(self, port: int) -> None:
        self.port = port
        self._ready.set()

    def _run(self) -> None:
        async def main() -> None:
            self._loop = asyncio.get_running_loop()
            self._stop = asyncio.Event()
            await serve(self._handler or MaildirSink(self.maildir), self._stop, on_listening=self._listening)

        try:
            asyncio.run(main())
        except BaseException as error:  # surfaced by start()
            self._error = error
            self._ready.set()

    def start(self) -> SinkThread:
        self._thread.start()
        if not self._ready.wait(timeout=10) or self._error is not None:
            raise RuntimeError(f"the SMTP sink did not start: {self._error}")
        return self

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=10)
