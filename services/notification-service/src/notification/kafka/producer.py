"""The Kafka producer: confluent-kafka's Producer, with delivery reports turned into awaitables.

confluent_kafka.aio.AIOProducer cannot send headers (its batch mode refuses them), and every
record we write carries the contract's headers, so we use the plain Producer: produce() only
enqueues, and the blocking poll() that fires delivery callbacks runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from confluent_kafka import KafkaError, KafkaException, Producer

from notification.cloudevents import OutgoingRecord

logger = logging.getLogger(__name__)


# Above the contract topics' max.message.bytes (2 MiB, set by `./polyglot up`), so the broker, not the
# client, judges a record's size: librdkafka's default (1 MB) refused the DLQ copy of a 1 MiB poison
# record (MSG_SIZE_TOO_LARGE) that the topic itself takes.
MAX_REQUEST_BYTES = 4 * 1024 * 1024


class KafkaPublisher:
    """Publishes records and waits for the broker's acknowledgement (acks=all, idempotent)."""

    def __init__(self, bootstrap_servers: str, client_id: str, delivery_timeout_seconds: float = 30.0) -> None:
        self._producer = Producer(
            {
                "bootstrap.servers": bootstrap_servers,
                "client.id": client_id,
                "acks": "all",
                "enable.idempotence": True,
                # 1 ms, not 5: the outbox relay hands a whole consumed batch's events to produce()
                # in one go, so they share produce requests (one per partition leader) without
                # waiting; linger only delays the lone event of a quiet moment, and every ms of it
                # lands on the sign-up -> e-mail latency (target p50 10 ms at 5/s). Left above 0
                # so that events queued within the same millisecond still go in one request.
                "linger.ms": 1,
                "message.max.bytes": MAX_REQUEST_BYTES,
                "delivery.timeout.ms": int(delivery_timeout_seconds * 1000),
            }
        )
        self._timeout = delivery_timeout_seconds
        self._closed = asyncio.Event()
        self._poller: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._poller = asyncio.create_task(self._poll_loop(), name="kafka-producer-poll")

    async def _poll_loop(self) -> None:
        while not self._closed.is_set():
            await asyncio.to_thread(self._producer.poll, 0.2)

    async def publish(self, record: OutgoingRecord) -> None:
        loop = asyncio.get_running_loop()
        delivered: asyncio.Future[None] = loop.create_future()

        def settle(err: KafkaError | None) -> None:
            if delivered.done():
                return
            if err is None:
                delivered.set_result(None)
            else:
                delivered.set_exception(KafkaException(err))

        def on_delivery(err: KafkaError | None, _msg: Any) -> None:
            # Runs in the poll thread: hand the outcome to the event loop.
            loop.call_soon_threadsafe(settle, err)

        self._producer.produce(
            record.topic,
            value=record.value,
            key=record.key,
            headers=list(record.headers),
            on_delivery=on_delivery,
        )
        await asyncio.wait_for(delivered, timeout=self._timeout + 5)

    async def ping(self, timeout: float = 3.0) -> None:
        """Raises when no broker answers a metadata request within the timeout."""
        await asyncio.to_thread(self._producer.list_topics, timeout=timeout)

    async def close(self, timeout: float = 10.0) -> None:
        remaining = await asyncio.to_thread(self._producer.flush, timeout)
        if remaining:
            logger.warning("producer closed with undelivered records", extra={"count": remaining})
        self._closed.set()
        if self._poller is not None:
            await self._poller
