"""A record that cannot be handled is tried a bounded number of times, then dead-lettered as
retries-exhausted; one whose dead letter cannot be written either is never skipped."""

from __future__ import annotations

import asyncio
import logging

import pytest
from confluent_kafka import KafkaError, KafkaException

from notification.cloudevents import OutgoingRecord
from notification.kafka.consumer import EventConsumer, HandlingRetry, Outcome
from notification.kafka.records import InboundRecord
from notification.runtime import Runtime
from tests.support import FakePublisher, demo_order, headers_of, order_record


class RefusingPublisher(FakePublisher):
    """Refuses the dead letters of one `dlq.reason` (a DLQ copy that cannot be written), takes the rest."""

    def __init__(self, refused_reason: str) -> None:
        super().__init__()
        self.refused_reason = refused_reason
        self.tries = 0

    async def publish(self, record: OutgoingRecord) -> None:
        if headers_of(record).get("dlq.reason") == self.refused_reason:
            self.tries += 1
            raise KafkaException(KafkaError(KafkaError.MSG_SIZE_TOO_LARGE))
        await super().publish(record)


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
        dead_letter=runtime.dispatcher.dead_letter_exhausted,
        on_given_up=runtime.metrics.given_up,
        retry=HandlingRetry(attempts=attempts, base_seconds=0.01, longest_seconds=0.02),
    )


def poison(correlation_id: str) -> InboundRecord:
    # Undecodable: field 1 with wire type 7, which does not exist.
    return order_record(demo_order(), correlation_id=correlation_id, offset=41, value=b"\x0f" + b"\x00" * 64)


async def test_a_record_not_handled_after_the_bounded_tries_is_dead_lettered_as_retries_exhausted(
    runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    # Its decode-error dead letter cannot be written, so handling raises every time.
    publisher = RefusingPublisher("decode-error")
    runtime.dispatcher._publisher = publisher
    caplog.set_level(logging.WARNING)

    outcome = await consumer_for(runtime, attempts=3)._handle_until_done(poison("corr-big"), asyncio.Event())

    assert outcome is Outcome.DEAD_LETTERED
    assert publisher.tries == 3
    retries = [r for r in caplog.records if r.getMessage() == "record not handled, retrying"]
    assert len(retries) == 2
    assert all(getattr(r, "correlation_id", None) == "corr-big" for r in retries)
    [letter] = publisher.on("order-events.dlq")
    headers = headers_of(letter)
    assert headers["dlq.reason"] == "retries-exhausted"
    assert headers["dlq.error"].startswith("3 tries failed, the last: KafkaException")
    assert "MSG_SIZE_TOO_LARGE" in headers["dlq.error"]
    assert (headers["dlq.topic"], headers["dlq.partition"], headers["dlq.offset"]) == ("order-events", "0", "41")
    assert letter.value == poison("corr-big").value
    [dead_lettered] = [r for r in caplog.records if r.getMessage() == "record dead-lettered after every try"]
    assert dead_lettered.correlation_id == "corr-big"  # type: ignore[attr-defined]
    metrics = runtime.metrics.registry.get_sample_value(
        "notification_records_given_up_total", {"topic": "order-events"}
    )
    assert metrics == 1.0


async def test_a_record_whose_dead_letter_cannot_be_written_is_never_skipped(
    runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    stop = asyncio.Event()

    class StoppingPublisher(TooLargePublisher):
        # Handling fails 3 times; then the retries-exhausted dead letter fails again and again:
        # the service is asked to stop at the 6th refused write.
        async def publish(self, record: object) -> None:
            if self.tries + 1 >= 6:
                stop.set()
            await super().publish(record)

    publisher = StoppingPublisher()
    runtime.dispatcher._publisher = publisher
    caplog.set_level(logging.WARNING)
    consumer = EventConsumer(
        bootstrap_servers="127.0.0.1:1",
        group="test",
        topics=("order-events",),
        handle=runtime.process,
        dead_letter=runtime.dispatcher.dead_letter_exhausted,
        retry=HandlingRetry(attempts=3, base_seconds=0.01, longest_seconds=0.01),
    )
    outcome = await asyncio.wait_for(consumer._handle_until_done(poison("corr-stuck"), stop), timeout=10)

    # Stopped, not given up: the caller stores no offset, so the record is read again after a restart.
    assert outcome is Outcome.STOPPED
    assert publisher.tries == 6
    unwritten = [
        r for r in caplog.records if r.getMessage().startswith("record not handled and its dead letter not written")
    ]
    assert len(unwritten) >= 3
    assert all(r.correlation_id == "corr-stuck" for r in unwritten)  # type: ignore[attr-defined]
    assert (
        runtime.metrics.registry.get_sample_value("notification_records_given_up_total", {"topic": "order-events"})
        is None
    )


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
