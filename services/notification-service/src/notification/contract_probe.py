"""`python -m notification.contract_probe --bootstrap HOST:PORT --group GROUP`: the contract probe.

Runs the service's real consumer (EventConsumer, the Dispatcher's ce_type routing, protobuf
decoding, envelope parsing and the dead-letter path to `<topic>.dlq`) with only the handlers that
send mail and write the sent-log replaced by a recorder. For each handler call it prints one JSON
line `{"type": <full protobuf name>, "view": {...}}` on stdout, which the cross-language contract
suite (tests/contract/) compares with the reference decode of the same record. Logs go to stderr.
Runs until SIGTERM or SIGINT, then leaves the group and exits 0; when stdout is closed under it,
it stops and exits 1 (rather than dead-letter every later record as a handler error).

The Dispatcher asks its parking store before each record whether the user waits on an earlier one;
the probe gives it the service's real SQLite store in a temporary directory, removed on exit.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import math
import os
import signal
import sys
import tempfile
from collections.abc import Callable, Sequence
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import TextIO, TypeAlias

from google.protobuf.internal.enum_type_wrapper import EnumTypeWrapper
from google.protobuf.message import Message

from notification.cloudevents import Trigger
from notification.config import Settings
from notification.json_logging import configure_logging
from notification.kafka.consumer import EventConsumer, HandlingRetry
from notification.kafka.dispatcher import Dispatcher
from notification.kafka.producer import KafkaPublisher
from notification.notifications.money import to_decimal
from notification.runtime import build_routes
from notification.storage.database import Database
from polyglot.common.v1.money_pb2 import Money
from polyglot.events.v1 import order_events_pb2 as order_events
from polyglot.events.v1 import user_events_pb2 as user_events

JsonValue: TypeAlias = str | int | float | bool | None | list["JsonValue"] | dict[str, "JsonValue"]
View: TypeAlias = dict[str, JsonValue]

logger = logging.getLogger(__name__)


def decimal_text(amount: Decimal) -> str:
    """Plain notation without trailing fractional zeros: 29.99, 29, 0.5, -1.25."""
    return format(amount.normalize(), "f")


def money_view(money: Money, present: bool) -> JsonValue:
    """None when the field is absent (the consumer then falls back to the seed's double)."""
    if not present:
        return None
    return {"currency_code": money.currency_code, "amount": decimal_text(to_decimal(money))}


def double_view(value: float) -> JsonValue:
    """JSON has no NaN or infinities: spelled as protobuf JSON spells them."""
    if math.isfinite(value):
        return value
    return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")


def enum_view(enum: EnumTypeWrapper, number: int) -> JsonValue:
    """The enum's own name; a number this schema does not know stays a number."""
    try:
        return enum.Name(number)
    except ValueError:
        return number


def envelope_view(trigger: Trigger) -> View:
    """The envelope ids the handler receives (the Dispatcher builds them from the ce_* headers)."""
    return {
        "event_id": trigger.event_id,
        "correlation_id": trigger.correlation_id,
        "traceparent": trigger.traceparent,
    }


def user_signup_view(event: user_events.UserSignupEvent, trigger: Trigger) -> View:
    return {
        **envelope_view(trigger),
        "user_id": event.user_id,
        "email": event.email,
        "name": event.name,
        "phone_number": event.phone_number,
        "source": enum_view(user_events.SignupSource, event.source),
    }


def user_updated_view(event: user_events.UserUpdatedEvent, trigger: Trigger) -> View:
    return {
        **envelope_view(trigger),
        "user_id": event.user_id,
        "email": event.email,
        "name": event.name,
        "phone_number": event.phone_number,
        "updated_fields": list(event.updated_fields),
        "previous_email": event.previous_email,
    }


def order_item_view(item: order_events.OrderItem) -> View:
    return {
        "product_id": item.product_id,
        "product_name": item.product_name,
        "quantity": item.quantity,
        "unit_price": double_view(item.unit_price),
        "unit_price_money": money_view(item.unit_price_money, item.HasField("unit_price_money")),
    }


def order_created_view(event: order_events.OrderCreatedEvent, trigger: Trigger) -> View:
    return {
        **envelope_view(trigger),
        "order_id": event.order_id,
        "user_id": event.user_id,
        "status": enum_view(order_events.OrderStatus, event.status),
        "currency": event.currency,
        "total_amount": double_view(event.total_amount),
        "total_money": money_view(event.total_money, event.HasField("total_money")),
        "items": [order_item_view(item) for item in event.items],
    }


def order_shipped_view(event: order_events.OrderShippedEvent, trigger: Trigger) -> View:
    return {
        **envelope_view(trigger),
        "order_id": event.order_id,
        "user_id": event.user_id,
        "tracking_number": event.tracking_number,
        "carrier": event.carrier,
    }


def order_cancelled_view(event: order_events.OrderCancelledEvent, trigger: Trigger) -> View:
    return {
        **envelope_view(trigger),
        "order_id": event.order_id,
        "user_id": event.user_id,
        "reason": event.reason,
    }


def probe_line(event: Message, view: View) -> str:
    return json.dumps({"type": event.DESCRIPTOR.full_name, "view": view}, allow_nan=False, separators=(",", ":"))


class Recorder:
    """Stands in for NotificationService (runtime.EventHandlers): prints what each handler received,
    with every field that NotificationService reads."""

    def __init__(self, out: TextIO, on_closed: Callable[[], None] = lambda: None) -> None:
        self._out = out
        self._on_closed = on_closed
        self.closed = False

    def _print(self, event: Message, view: View) -> None:
        if self.closed:
            return
        try:
            self._out.write(probe_line(event, view) + "\n")
            self._out.flush()
        except BrokenPipeError:
            # Nobody reads any more (the suite ended or died): stop, rather than let the dispatcher
            # dead-letter every later record as a handler error into the real DLQ topics.
            self.closed = True
            logger.error("stdout was closed, stopping")
            self._on_closed()

    async def on_user_signup(self, event: user_events.UserSignupEvent, trigger: Trigger) -> None:
        self._print(event, user_signup_view(event, trigger))

    async def on_user_updated(self, event: user_events.UserUpdatedEvent, trigger: Trigger) -> None:
        self._print(event, user_updated_view(event, trigger))

    async def on_order_created(self, event: order_events.OrderCreatedEvent, trigger: Trigger) -> None:
        self._print(event, order_created_view(event, trigger))

    async def on_order_shipped(self, event: order_events.OrderShippedEvent, trigger: Trigger) -> None:
        self._print(event, order_shipped_view(event, trigger))

    async def on_order_cancelled(self, event: order_events.OrderCancelledEvent, trigger: Trigger) -> None:
        self._print(event, order_cancelled_view(event, trigger))


async def probe(settings: Settings, recorder: Recorder, stop: asyncio.Event) -> None:
    """Consumes the service's topics as `settings.consumer_group` until `stop` is set."""
    publisher = KafkaPublisher(settings.kafka_bootstrap_servers, client_id=settings.consumer_group)
    publisher.start()
    try:
        with tempfile.TemporaryDirectory(prefix="notification-contract-probe-") as scratch:
            database = await Database.open(Path(scratch) / "notification-service.sqlite3")
            try:
                dispatcher = Dispatcher(
                    routes=build_routes(recorder),
                    publisher=publisher,
                    parking=database,
                    group=settings.consumer_group,
                    user_events_topic=settings.user_events_topic,
                    unknown_user_wait=timedelta(seconds=settings.unknown_user_wait_seconds),
                )
                consumer = EventConsumer(
                    bootstrap_servers=settings.kafka_bootstrap_servers,
                    group=settings.consumer_group,
                    topics=(settings.user_events_topic, settings.order_events_topic),
                    handle=dispatcher.handle,
                    dead_letter=dispatcher.dead_letter_exhausted,
                    retry=HandlingRetry(attempts=settings.record_attempts),
                )
                await consumer.run(stop)
            finally:
                await database.close()
    finally:
        await publisher.close()


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m notification.contract_probe", description=__doc__)
    parser.add_argument("--bootstrap", required=True, metavar="HOST:PORT", help="the Kafka bootstrap servers")
    parser.add_argument("--group", required=True, help="the consumer group (and the DLQ records' dlq.group)")
    return parser.parse_args(argv)


async def _main(settings: Settings, out: TextIO) -> Recorder:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    recorder = Recorder(out, on_closed=stop.set)
    await probe(settings, recorder, stop)
    return recorder


def main(argv: Sequence[str] | None = None) -> int:
    """0 after SIGTERM or SIGINT; 1 when stdout was closed under it."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    # The rest (topic names, LOG_LEVEL, waits) as the service reads it.
    settings = Settings(kafka_bootstrap_servers=args.bootstrap, consumer_group=args.group)
    configure_logging(f"{settings.service_name}-contract-probe", settings.log_level, sys.stderr)
    recorder = asyncio.run(_main(settings, sys.stdout))
    if recorder.closed:
        # So that the interpreter's own flush of stdout at exit does not fail again (Python's SIGPIPE note).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
