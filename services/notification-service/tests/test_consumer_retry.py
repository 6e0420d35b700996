"""A record whose DLQ copy cannot be written is tried a bounded number of times, then given up."""

from __future__ import annotations

import asyncio
import logging

import pytest
from confluent_kafka import KafkaError, KafkaException

from notification.cloudevents import OutgoingRecord
from notification.kafka.consumer import EventConsumer, HandlingRetry, Outcome
from notification.kafka.records import InboundRecord
from notification.runtime import Runtime
from tests.support import FakePublisher, demo_order, order_record


class TooLargePublisher(FakePublisher):
    """Refuses every record like librdkafka refuses one above message.max.bytes."""

    def __init__(self) -> None:
        super().__init__()
        self.tries = 0

    async def publish(self, record: object) -> None:
        self.tries += 1
        raise KafkaException(KafkaError(KafkaError.MSG_SIZE_TOO_LARGE))


def consumer_for(runtime: Runtime, attempts: int) -> EventConsumer:
    return EventConsumer(
        bootstrap_servers="127.0.0.1:1",
        group="test",
        topics=("user-events",),
        handle=runtime.process,
        on_given_up=runtime.metrics.given_up,
        retry=HandlingRetry(attempts=attempts, base_seconds=0.01, longest_seconds=0.02),
    )


def poison(correlation_id: str) -> InboundRecord:
    # Undecodable: field 1 with wire type 7, which does not exist.
    return order_record(demo_order(), correlation_id=correlation_id, offset=41, value=b"\x0f" + b"\x00" * 64)


async def test_an_unwritable_dlq_copy_is_given_up_after_the_bounded_tries(
    runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    publisher = TooLargePublisher()
    runtime.dispatcher._publisher = publisher
    caplog.set_level(logging.WARNING)

    outcome = await consumer_for(runtime, attempts=3)._handle_until_done(poison("corr-big"), asyncio.Event())

    assert outcome is Outcome.GIVEN_UP
    assert publisher.tries == 3
    retries = [r for r in caplog.records if r.getMessage() == "record not handled, retrying"]
    assert len(retries) == 2
    assert all(getattr(r, "correlation_id", None) == "corr-big" for r in retries)
    [given_up] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert given_up.getMessage().startswith("record given up")
    assert (given_up.topic, given_up.partition, given_up.offset) == ("order-events", 0, 41)  # type: ignore[attr-defined]
    assert given_up.correlation_id == "corr-big"  # type: ignore[attr-defined]
    assert "MSG_SIZE_TOO_LARGE" in given_up.err  # type: ignore[attr-defined]
    metrics = runtime.metrics.registry.get_sample_value(
        "notification_records_given_up_total", {"topic": "order-events"}
    )
    assert metrics == 1.0


class HealingPublisher(FakePublisher):
    """Fails like an absent broker until `failures` publishes have failed, then works: the broker is
    back after a known number of tries, not after a pause that a slow machine may outlast."""

    def __init__(self, failures: int) -> None:
        super().__init__()
        self.failures = failures
        self.tries = 0

    async def publish(self, record: OutgoingRecord) -> None:
        self.tries += 1
        self.failing = self.tries <= self.failures
        await super().publish(record)


async def test_a_record_handled_on_a_later_try_is_not_given_up(runtime: Runtime) -> None:
    publisher = HealingPublisher(failures=2)
    runtime.dispatcher._publisher = publisher
    consumer = consumer_for(runtime, attempts=5)
    record = poison("corr-flaky")

    outcome = await consumer._handle_until_done(record, asyncio.Event())

    assert outcome is Outcome.HANDLED
    assert publisher.tries == 3
    [letter] = publisher.on("order-events.dlq")
    assert dict((n, v.decode()) for n, v in letter.headers)["dlq.reason"] == "decode-error"
    assert (
        runtime.metrics.registry.get_sample_value("notification_records_given_up_total", {"topic": "order-events"})
        is None
    )
