"""The consumer loop: poll without blocking the event loop, handle, then store the offset.

Follows confluent-kafka's asyncio example: `AIOConsumer` runs every blocking call in a worker
thread. Offsets are stored by hand (`enable.auto.offset.store=false`) only after a record was
handled, parked or dead-lettered; the client commits stored offsets in the background and on close.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from confluent_kafka import KafkaException, Message, TopicPartition
from confluent_kafka.aio import AIOConsumer

from notification.kafka.records import InboundRecord

logger = logging.getLogger(__name__)

RecordHandler = Callable[[InboundRecord], Awaitable[None]]


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


class EventConsumer:
    """Consumes `topics` as `group` and hands each record to `handle`, one at a time in order."""

    def __init__(
        self,
        *,
        bootstrap_servers: str,
        group: str,
        topics: Sequence[str],
        handle: RecordHandler,
        on_handled: Callable[[str, int, int], None] = lambda _topic, _partition, _behind: None,
        retry_backoff_seconds: float = 1.0,
    ) -> None:
        self._on_handled = on_handled
        self._config: dict[str, Any] = {
            "bootstrap.servers": bootstrap_servers,
            "group.id": group,
            "client.id": group,
            "auto.offset.reset": "earliest",
            "enable.auto.commit": True,
            "auto.commit.interval.ms": 1000,
            "enable.auto.offset.store": False,
        }
        self._topics = list(topics)
        self._handle = handle
        self._backoff = retry_backoff_seconds

    async def run(self, stop: asyncio.Event) -> None:
        consumer = AIOConsumer(self._config, max_workers=2)
        try:
            await consumer.subscribe(self._topics)
            logger.info("consumer subscribed", extra={"topics": self._topics})
            while not stop.is_set():
                message: Message | None = await consumer.poll(0.5)
                if message is None:
                    continue
                error = message.error()
                if error is not None:
                    if error.fatal():
                        raise KafkaException(error)
                    logger.warning("consumer error", extra={"err": str(error)})
                    continue
                record = to_record(message)
                if not await self._handle_until_done(record, stop):
                    break
                await consumer.store_offsets(message=message)
                # Cached watermarks: no broker round trip, as fresh as the last fetch.
                _low, high = await consumer.get_watermark_offsets(
                    TopicPartition(record.topic, record.partition), cached=True
                )
                self._on_handled(record.topic, record.partition, high - record.offset - 1)
        finally:
            # close() commits the stored offsets and leaves the group at once.
            await consumer.close()
            logger.info("consumer closed")

    async def _handle_until_done(self, record: InboundRecord, stop: asyncio.Event) -> bool:
        """Retries while the handler cannot finish (broker or database away); False if stopped first."""
        while True:
            try:
                await self._handle(record)
                return True
            except Exception as error:
                logger.exception(
                    "record not handled, retrying",
                    extra={
                        "topic": record.topic,
                        "partition": record.partition,
                        "offset": record.offset,
                        "err": str(error),
                    },
                )
            try:
                await asyncio.wait_for(stop.wait(), timeout=self._backoff)
                return False
            except TimeoutError:
                continue
