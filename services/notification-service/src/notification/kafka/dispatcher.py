"""Routes each consumed record by its ce_type header to a domain handler, or to the topic's DLQ.

Never tries parsers one after another: the header names the type. Two kinds of record wait in the
database instead of holding up the partition (their offset moves on; the row keeps them):
- an order whose user is not known yet: the sign-up travels on another topic; retried as soon as a
  record of that user arrives on user-events, and until a bounded wait runs out;
- a record whose mail the SMTP server did not take: retried with capped exponential backoff and
  jitter within a time budget; later records of the same user queue behind it, other users' flow.
When the wait or the budget runs out, the record goes to the DLQ as retries-exhausted.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from google.protobuf.message import DecodeError, Message
from opentelemetry import trace
from opentelemetry.trace import SpanKind, Status, StatusCode, Tracer

from notification.cloudevents import (
    H_CORRELATION,
    H_ID,
    H_TRACEPARENT,
    H_TYPE,
    REQUIRED_HEADERS,
    Trigger,
)
from notification.kafka.dead_letter import DeadLetterReason, dead_letter
from notification.kafka.publisher import Publisher
from notification.kafka.records import InboundRecord
from notification.notifications.errors import DeliveryFailed, UserNotKnownYet
from notification.storage.database import ParkedRecord, ParkReason
from notification.tracing import extract, messaging_attributes

logger = logging.getLogger(__name__)

EventHandler = Callable[[Any, Trigger], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Route:
    """How to decode one ce_type and who handles it."""

    message_type: type[Message]
    handle: EventHandler


class ParkingStore(Protocol):
    async def park(self, record: ParkedRecord) -> None: ...
    async def parked(self, user_id: str | None = None) -> list[ParkedRecord]: ...
    async def waits_for_delivery(self, user_id: str) -> bool: ...
    async def reschedule(self, event_id: str, reason: ParkReason, attempts: int, next_attempt_at: datetime) -> None: ...
    async def unpark(self, event_id: str) -> None: ...


@dataclass(frozen=True, slots=True)
class DeliveryRetry:
    """When a record whose mail could not be delivered is tried again, and for how long."""

    budget: timedelta = timedelta(minutes=10)
    base: timedelta = timedelta(seconds=2)
    longest: timedelta = timedelta(seconds=60)

    def delay(self, attempts: int) -> timedelta:
        # Exponential, capped, with jitter so that records parked together do not retry in lockstep.
        ceiling = min(self.longest, self.base * (1 << max(attempts - 1, 0)))
        return ceiling * random.uniform(0.5, 1.0)


class KeyedLocks:
    """One asyncio.Lock per key, dropped once no task holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[bytes, tuple[asyncio.Lock, list[int]]] = {}

    @asynccontextmanager
    async def hold(self, key: bytes) -> AsyncIterator[None]:
        lock, users = self._locks.setdefault(key, (asyncio.Lock(), [0]))
        users[0] += 1
        try:
            async with lock:
                yield
        finally:
            users[0] -= 1
            if users[0] == 0:
                del self._locks[key]


def _log_fields(record: InboundRecord) -> dict[str, object]:
    return {
        "topic": record.topic,
        "partition": record.partition,
        "offset": record.offset,
        "event_id": record.header(H_ID),
        "correlation_id": record.header(H_CORRELATION),
    }


class Dispatcher:
    """`handle` returns once the record is handled, parked or dead-lettered; it raises only when the
    DLQ or the database could not be written, and then the caller must offer the same record again."""

    def __init__(
        self,
        *,
        routes: Mapping[str, Route],
        publisher: Publisher,
        parking: ParkingStore,
        group: str,
        user_events_topic: str,
        unknown_user_wait: timedelta,
        delivery_retry: DeliveryRetry = DeliveryRetry(),
        on_dead_letter: Callable[[str, str], None] = lambda _topic, _reason: None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        tracer: Tracer | None = None,
    ) -> None:
        self._tracer = tracer or trace.get_tracer(__name__)
        self._routes = dict(routes)
        self._publisher = publisher
        self._parking = parking
        self._group = group
        self._user_events_topic = user_events_topic
        self._unknown_user_wait = unknown_user_wait
        self._delivery_retry = delivery_retry
        self._on_dead_letter = on_dead_letter
        self._clock = clock
        # One record per key at a time: a parked order retried by the timer and the same order
        # redelivered must not both pass the sent-log check before either writes it. Records of other
        # keys (users) go side by side.
        self._locks = KeyedLocks()

    async def handle(self, record: InboundRecord) -> None:
        """Not for two records of one key at once: the caller hands over one key's records in order."""
        async with self._locks.hold(record.key or b""):
            user_id = record.key.decode(errors="replace") if record.key else ""
            if user_id and await self._parking.waits_for_delivery(user_id):
                # Keep the user's order: this one waits until the earlier one went out.
                await self._park(record, user_id, ParkReason.BEHIND)
                return
            try:
                await self._route(record)
            except UserNotKnownYet as waiting:
                await self._park(record, waiting.user_id, ParkReason.USER_UNKNOWN)
                return
            except DeliveryFailed as error:
                if not user_id:
                    await self._dead_letter(record, DeadLetterReason.RETRIES_EXHAUSTED, str(error))
                    return
                # Parked, not retried here: other users' records go on while this user waits.
                await self._park(record, user_id, ParkReason.DELIVERY_FAILED, attempts=1, error=error)
                return
            if record.topic == self._user_events_topic and user_id:
                # A user-events record may be the sign-up that parked orders wait for.
                await self._retry_parked(user_id, held=record.key or b"")

    async def dead_letter_exhausted(self, record: InboundRecord, error: str) -> None:
        """The consumer tried `record` every time it may: it goes to its `.dlq` as retries-exhausted."""
        await self._dead_letter(record, DeadLetterReason.RETRIES_EXHAUSTED, error)

    async def retry_parked(self) -> None:
        """Offers the parked records that are due again; the ones out of time go to the DLQ."""
        await self._retry_parked(None, held=None)

    async def _retry_parked(self, user_id: str | None, *, held: bytes | None) -> None:
        """`held`: the key whose lock the caller holds; only that key's records are offered then (a
        record parked under another key waits for the timer, which takes each record's own lock)."""
        now = self._clock()
        blocked: set[str] = set()
        for parked in await self._parking.parked(user_id):
            if parked.user_id in blocked:
                continue
            key = parked.key or b""
            if held is None:
                async with self._locks.hold(key):
                    await self._retry_one(parked, now, blocked)
            elif key == held:
                await self._retry_one(parked, now, blocked)

    async def _retry_one(self, parked: ParkedRecord, now: datetime, blocked: set[str]) -> None:
        """Offers one parked record again; `blocked` collects the users whose next record must wait."""
        if parked.reason is ParkReason.DELIVERY_FAILED and parked.next_attempt_at > now:
            blocked.add(parked.user_id)
            return
        record = InboundRecord(
            topic=parked.topic,
            partition=parked.partition,
            offset=parked.offset,
            key=parked.key,
            value=parked.value,
            headers=parked.headers,
        )
        try:
            await self._route(record)
        except UserNotKnownYet as waiting:
            if now - parked.parked_at < self._unknown_user_wait:
                return
            await self._dead_letter(
                record,
                DeadLetterReason.RETRIES_EXHAUSTED,
                f"{waiting}; waited {self._unknown_user_wait.total_seconds():g} s",
            )
        except DeliveryFailed as error:
            if now - parked.parked_at < self._delivery_retry.budget:
                attempts = parked.attempts + 1
                await self._parking.reschedule(
                    parked.event_id,
                    ParkReason.DELIVERY_FAILED,
                    attempts,
                    now + self._delivery_retry.delay(attempts),
                )
                blocked.add(parked.user_id)
                logger.warning(
                    "delivery failed again, retrying later",
                    extra={**_log_fields(record), "attempts": attempts, "err": str(error)},
                )
                return
            await self._dead_letter(
                record,
                DeadLetterReason.RETRIES_EXHAUSTED,
                f"{error}; {parked.attempts + 1} rounds in {self._delivery_retry.budget.total_seconds():g} s",
            )
        await self._parking.unpark(parked.event_id)

    async def _route(self, record: InboundRecord) -> None:
        """Handles or dead-letters the record; raises UserNotKnownYet and DeliveryFailed for the caller.

        Runs in a CONSUMER span, child of the record's traceparent (a parked record offered again
        gets a new one in the same trace)."""
        with self._tracer.start_as_current_span(
            f"{record.topic} process",
            context=extract(record.headers),
            kind=SpanKind.CONSUMER,
            attributes=messaging_attributes(record.topic, record.partition, record.offset, record.key, self._group),
            # Parking (user unknown, delivery failed) is flow, not failure: statuses are set below.
            record_exception=False,
            set_status_on_exception=False,
        ) as span:
            try:
                await self._route_in_span(record)
            except (UserNotKnownYet, DeliveryFailed) as waiting:
                span.set_attribute("notification.parked", type(waiting).__name__)
                raise

    async def _route_in_span(self, record: InboundRecord) -> None:
        missing = [name for name in REQUIRED_HEADERS if not record.header(name)]
        if missing:
            await self._dead_letter(record, DeadLetterReason.MISSING_HEADER, f"missing header {', '.join(missing)}")
            return
        ce_type = record.header(H_TYPE) or ""
        route = self._routes.get(ce_type)
        if route is None:
            await self._dead_letter(record, DeadLetterReason.UNKNOWN_TYPE, f"no handler for ce_type {ce_type}")
            return
        try:
            message = route.message_type.FromString(record.value)
        except DecodeError as error:
            await self._dead_letter(record, DeadLetterReason.DECODE_ERROR, f"{ce_type}: {error}")
            return
        event_id = record.header(H_ID) or ""
        trigger = Trigger(
            event_id=event_id,
            ce_type=ce_type,
            correlation_id=record.header(H_CORRELATION) or event_id,
            traceparent=record.header(H_TRACEPARENT) or "",
        )
        try:
            await route.handle(message, trigger)
        except (UserNotKnownYet, DeliveryFailed):
            raise
        except Exception as error:
            trace.get_current_span().set_status(Status(StatusCode.ERROR, str(error)))
            logger.exception("handler failed", extra={**_log_fields(record), "err": str(error)})
            await self._dead_letter(record, DeadLetterReason.HANDLER_ERROR, f"{type(error).__name__}: {error}")

    async def _park(
        self,
        record: InboundRecord,
        user_id: str,
        reason: ParkReason,
        *,
        attempts: int = 0,
        error: Exception | None = None,
    ) -> None:
        now = self._clock()
        await self._parking.park(
            ParkedRecord(
                event_id=record.header(H_ID) or f"{record.topic}/{record.partition}/{record.offset}",
                user_id=user_id,
                reason=reason,
                attempts=attempts,
                next_attempt_at=now + self._delivery_retry.delay(attempts) if attempts else now,
                topic=record.topic,
                partition=record.partition,
                offset=record.offset,
                key=record.key,
                value=record.value,
                headers=record.headers,
                parked_at=now,
            )
        )
        extra = {**_log_fields(record), "user_id": user_id, "reason": reason.value}
        if error is not None:
            extra["err"] = str(error)
        logger.info("record parked", extra=extra)

    async def _dead_letter(self, record: InboundRecord, reason: DeadLetterReason, error: str) -> None:
        trace.get_current_span().set_attribute("dlq.reason", reason.value)
        letter = dead_letter(record, reason, error, self._group, self._clock())
        await self._publisher.publish(letter)
        self._on_dead_letter(letter.topic, reason.value)
        logger.warning("record sent to the DLQ", extra={**_log_fields(record), "reason": reason.value, "err": error})
