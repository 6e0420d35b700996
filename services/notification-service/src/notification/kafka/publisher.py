"""The producer interface that the dispatcher and the outbox relay depend on."""

from __future__ import annotations

from typing import Protocol

from notification.cloudevents import OutgoingRecord


class Publisher(Protocol):
    async def publish(self, record: OutgoingRecord) -> None:
        """Returns once the broker acknowledged the record; raises when it did not."""
        ...
