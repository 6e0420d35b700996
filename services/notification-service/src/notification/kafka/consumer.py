"""The consumer loop: take a batch without blocking the event loop, handle it, then store its offsets.

`AIOConsumer` runs every blocking call in a worker thread, so each call is a thread hop: the loop
waits for a record with `poll`, then takes what else is fetched (up to `batch_size`) with one
`consume` (two hops per batch, where there were two per record) and stores the batch's offsets in
one call. Within a batch, the records of one key (one user: every topic is keyed by user_id) are
handled one after another in offset order, and different keys side by side: one user's order
holds while one slow user (a parked order, an SMTP retry) no longer holds up the others, and the
waits (SMTP, the database, the broker) overlap. `after_batch` then runs once (the outbox relay: the
batch's events go out together, in few produce requests).

Offsets are stored by hand (`enable.auto.offset.store=false`) only for records that were handled,
parked or dead-lettered, and per partition only up to the first that was not (a stop mid-batch):
the client commits stored offsets in the background and on close.

A record whose handling raises (its DLQ copy or its events could not be written, the database is
away) is tried again a bounded number of times, then dead-lettered with
`dlq.reason=retries-exhausted` and its offset stored: the partition goes on, and the record is in
its `.dlq` for a replay. Nothing is skipped silently. If even that dead letter cannot be written,
the record is not given up: the write is tried again (at the longest back-off) and the offset is
not stored, as order-service does, until it succeeds or the consumer is stopped. That stalls the
partition and, since poll is not called meanwhile, the member leaves the group after
max.poll.interval.ms; every attempt is logged.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from confluent_kafka import KafkaException, Message, TopicPartition
from confluent_kafka.aio import AIOConsumer

from notification.cloudevents import H_CORRELATION, H_ID
from notification.kafka.records import InboundRecord

logger = logging.getLogger(__name__)

RecordHandler = Callable[[InboundRecord], Awaitable[None]]
BatchDone = Callable[[], Awaitable[None]]
DeadLetterWriter = Callable[[InboundRecord, str], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class HandlingRetry:
    """How often a record whose handling raised is tried before it is given up."""

    attempts: int = 5
    base_seconds: float = 0.5
    longest_seconds: float = 8.0

    def delay(self, attempt: int) -> float:
        return float(min(self.longest_seconds, self.base_seconds * 2 ** (attempt - 1)))


class Outcome(Enum):
    HANDLED = "handled"
    DEAD_LETTERED = "dead-lettered"
    STOPPED = "stopped"


def record_fields(record: InboundRecord) -> dict[str, object]:
    """The fields that let a log line lead back to the record (and to a replay of it)."""
    return {
        "topic": record.topic,
        "partition": record.partition,
        "offset": record.offset,
        "event_id": record.header(H_ID),
        "correlation_id": record.header(H_CORRELATION),
    }


def _header_bytes(value: str | bytes | None) -> bytes:
    if value is None:
        return b""
    return value.encode() if isinstance(value, str) else value


def to_record(message: Message) -> InboundRecord:
    raw = message.headers() or []
    headers = raw.items() if isinstance(raw, dict) else raw
    return InboundRecord(
        topic=message.topic() or "",
        partition=message.partition() or 0,
        offset=message.offset() or 0,
        key=message.key(),
        value=message.value() or b"",
        headers=tuple((name, _header_bytes(value)) for name, value in headers),
    )


async def _nothing() -> None:
    return None


class EventConsumer:
    """Consumes `topics` as `group` and hands each record to `handle`, one key's records in order."""

    def __init__(
        self,
        *,
        bootstrap_servers: str,
        group: str,
        topics: Sequence[str],
        handle: RecordHandler,
        dead_letter: DeadLetterWriter,
        on_handled: Callable[[str, int, int], None] = lambda _topic, _partition, _behind: None,
        on_given_up: Callable[[str], None] = lambda _topic: None,
        on_assignment: Callable[[int], None] = lambda _count: None,
        retry: HandlingRetry = HandlingRetry(),
        client_id: str | None = None,
        after_batch: BatchDone = _nothing,
        batch_size: int = 100,
    ) -> None:
        self._after_batch = after_batch
        self._batch_size = batch_size
        self._on_handled = on_handled
        self._on_given_up = on_given_up
        self._on_assignment = on_assignment
        self._assigned: set[tuple[str, int]] = set()
        self._config: dict[str, Any] = {
            "bootstrap.servers": bootstrap_servers,
            "group.id": group,
            "client.id": client_id or group,
            "auto.offset.reset": "earliest",
            # As order-service and analytics-service: a SIGKILLed instance's partitions move to the
            # others (or to it, restarted) after 10 s rather than librdkafka's 45 s. Heartbeats come
            # from librdkafka's own thread, so a busy event loop does not miss them.
            "session.timeout.ms": 10_000,
            "heartbeat.interval.ms": 1_000,
            "enable.auto.commit": True,
            "auto.commit.interval.ms": 1000,
            "enable.auto.offset.store": False,
        }
        self._topics = list(topics)
        self._handle = handle
        self._dead_letter = dead_letter
        self._retry = retry

    async def run(self, stop: asyncio.Event) -> None:
        consumer = AIOConsumer(self._config, max_workers=2)
        try:
            await consumer.subscribe(
                self._topics, on_assign=self._assigned_more, on_revoke=self._revoked, on_lost=self._revoked
            )
            logger.info("consumer subscribed", extra={"topics": self._topics})
            while not stop.is_set():
                # consume() waits its whole timeout unless the batch fills, which would hold a lone
                # record for it: wait for the first record with poll, then take what else is
                # already fetched without waiting.
                first: Message | None = await consumer.poll(0.5)
                if first is None:
                    continue
                messages: list[Message] = [first]
                if self._batch_size > 1:
                    messages += await consumer.consume(self._batch_size - 1, 0)
                records: list[InboundRecord] = []
                for message in messages:
                    error = message.error()
                    if error is not None:
                        if error.fatal():
                            raise KafkaException(error)
                        logger.warning("consumer error", extra={"err": str(error)})
                        continue
                    records.append(to_record(message))
                if not records:
                    continue
                done = await self._handle_batch(records, stop)
                try:
                    await self._after_batch()
                except Exception as error:
                    # The batch's outcomes are in the database (the outbox): the retry timer goes on.
                    logger.warning("after-batch work failed", extra={"err": str(error)})
                # Only partitions still assigned: consume() may have served a rebalance after the
                # first record was polled, and storing for a revoked partition is refused. Its
                # records are read again by the new owner, where the sent-log makes them no-ops.
                offsets = [o for o in _offsets_to_store(records, done) if (o.topic, o.partition) in self._assigned]
                if offsets:
                    try:
                        await consumer.store_offsets(offsets=offsets)
                    except KafkaException as error:
                        logger.warning("offsets not stored", extra={"err": str(error)})
                highs: dict[tuple[str, int], int] = {}
                for position in offsets:
                    # Cached watermarks: no broker round trip, as fresh as the last fetch.
                    _low, highs[(position.topic, position.partition)] = await consumer.get_watermark_offsets(
                        TopicPartition(position.topic, position.partition), cached=True
                    )
                for record in records:
                    high = highs.get((record.topic, record.partition))
                    if high is not None and (record.topic, record.partition, record.offset) in done:
                        self._on_handled(record.topic, record.partition, high - record.offset - 1)
                if len(done) < len(records):
                    break
        finally:
            # close() commits the stored offsets and leaves the group at once.
            await consumer.close()
            logger.info("consumer closed")

    async def _assigned_more(self, _consumer: object, partitions: list[TopicPartition]) -> None:
        self._assigned |= {(p.topic, p.partition) for p in partitions}
        self._log_assignment("partitions assigned", partitions)

    async def _revoked(self, _consumer: object, partitions: list[TopicPartition]) -> None:
        self._assigned -= {(p.topic, p.partition) for p in partitions}
        self._log_assignment("partitions revoked", partitions)

    def _log_assignment(self, what: str, partitions: list[TopicPartition]) -> None:
        # Which instance holds which partition: what a rebalance moved, and the scale-out test's signal.
        self._on_assignment(len(self._assigned))
        logger.info(
            what,
            extra={
                "partitions": sorted(f"{p.topic}/{p.partition}" for p in partitions),
                "assigned": sorted(f"{topic}/{partition}" for topic, partition in self._assigned),
            },
        )

    async def _handle_batch(self, records: Sequence[InboundRecord], stop: asyncio.Event) -> set[tuple[str, int, int]]:
        """Handles the batch, each key's records in order, keys side by side; returns the positions
        (topic, partition, offset) of the records handled, parked or dead-lettered."""
        by_key: dict[bytes, list[InboundRecord]] = {}
        for record in records:
            by_key.setdefault(record.key or b"", []).append(record)
        done: set[tuple[str, int, int]] = set()

        async def one_key(queue: list[InboundRecord]) -> None:
            for record in queue:
                if await self._handle_until_done(record, stop) is Outcome.STOPPED:
                    return
                done.add((record.topic, record.partition, record.offset))

        await asyncio.gather(*(one_key(queue) for queue in by_key.values()))
        return done

    async def _handle_until_done(self, record: InboundRecord, stop: asyncio.Event) -> Outcome:
        """Tries the record up to `retry.attempts` times, then dead-letters it; STOPPED if asked to stop."""
        attempt = 1
        while True:
            try:
                await self._handle(record)
                return Outcome.HANDLED
            except Exception as error:
                if attempt >= self._retry.attempts:
                    return await self._dead_letter_until_written(record, attempt, error, stop)
                delay = self._retry.delay(attempt)
                logger.warning(
                    "record not handled, retrying",
                    extra={
                        **record_fields(record),
                        "attempt": attempt,
                        "delay_seconds": delay,
                        "err": str(error),
                    },
                )
            attempt += 1
            if await _stopped_within(stop, delay):
                return Outcome.STOPPED

    async def _dead_letter_until_written(
        self, record: InboundRecord, attempts: int, error: Exception, stop: asyncio.Event
    ) -> Outcome:
        """Writes the retries-exhausted dead letter; until it is written, the offset is not stored."""
        reason = f"{attempts} tries failed, the last: {type(error).__name__}: {error}"
        while True:
            try:
                await self._dead_letter(record, reason)
            except Exception as dlq_error:
                delay = self._retry.longest_seconds
                logger.error(
                    "record not handled and its dead letter not written: trying again, its offset not stored",
                    extra={
                        **record_fields(record),
                        "attempts": attempts,
                        "delay_seconds": delay,
                        "err": str(dlq_error),
                    },
                )
                if await _stopped_within(stop, delay):
                    return Outcome.STOPPED
                continue
            logger.error(
                "record dead-lettered after every try",
                extra={**record_fields(record), "attempts": attempts, "reason": "retries-exhausted", "err": str(error)},
            )
            self._on_given_up(record.topic)
            return Outcome.DEAD_LETTERED


def _offsets_to_store(records: Sequence[InboundRecord], done: set[tuple[str, int, int]]) -> list[TopicPartition]:
    """Per partition, the offset after the last record of an unbroken run of done ones from the
    batch's first: a record not done (a stop) keeps its own and every later offset unstored."""
    positions: dict[tuple[str, int], int] = {}
    broken: set[tuple[str, int]] = set()
    for record in sorted(records, key=lambda r: (r.topic, r.partition, r.offset)):
        partition = (record.topic, record.partition)
        if partition in broken:
            continue
        if (record.topic, record.partition, record.offset) in done:
            positions[partition] = record.offset + 1
        else:
            broken.add(partition)
    return [TopicPartition(topic, partition, offset) for (topic, partition), offset in positions.items()]


async def _stopped_within(stop: asyncio.Event, seconds: float) -> bool:
    """Waits `seconds` unless `stop` is set first; True when it was."""
    try:
        await asyncio.wait_for(stop.wait(), timeout=seconds)
    except TimeoutError:
        return False
    return True
