"""Publishes the EmailSentEvents that the domain queued in the database's outbox, in order."""

from __future__ import annotations

import asyncio
import logging
from typing import Protocol

from notification.kafka.publisher import Publisher
from notification.storage.database import PendingEvent

logger = logging.getLogger(__name__)

# Rows leased and published per round: one consumed batch's events fit in one.
_PAGE = 500


class OutboxStore(Protocol):
    async def pending_events(self, limit: int = 100) -> list[PendingEvent]: ...
    async def mark_published(self, ids: list[int]) -> None: ...


class OutboxRelay:
    """`flush` publishes everything pending and returns; it raises when the broker did not acknowledge."""

    def __init__(self, store: OutboxStore, publisher: Publisher) -> None:
        self._store = store
        self._publisher = publisher
        self._lock = asyncio.Lock()

    async def flush(self) -> int:
        published = 0
        async with self._lock:
            while True:
                batch = await self._store.pending_events(_PAGE)
                if not batch:
                    break
                # produce() is called in list order before the first await, so order per key holds.
                await asyncio.gather(*(self._publisher.publish(event.record) for event in batch))
                await self._store.mark_published([event.id for event in batch])
                published += len(batch)
                if len(batch) < _PAGE:
                    # A short page was all there was: no second transaction to find the outbox empty.
                    break
        return published
