"""Two instances on one database file (`up --scale`): one claim per send, one publisher per outbox event."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from notification.cloudevents import OutgoingRecord
from notification.config import Settings
from notification.notifications.models import NotificationType, SentNotification
from notification.runtime import Runtime
from notification.storage.database import Claim, Database
from tests.support import FakePublisher

WELCOME = NotificationType.WELCOME


@pytest.fixture
async def pair(tmp_path: Path) -> AsyncIterator[tuple[Database, Database]]:
    path = tmp_path / "shared" / "notification-service.sqlite3"
    one = await Database.open(path, owner="notification-service", lease=timedelta(seconds=60))
    two = await Database.open(path, owner="notification-service-2", lease=timedelta(seconds=60))
    yield one, two
    await one.close()
    await two.close()


def sent(trigger: str) -> tuple[SentNotification, OutgoingRecord]:
    return (
        SentNotification(
            trigger_event_id=trigger,
            notification_type=WELCOME,
            user_id="u-1",
            recipient="ada@example.com",
            subject="Welcome",
            order_id="",
            email_event_id=f"mail-{trigger}",
            sent_at=datetime.now(UTC),
        ),
        OutgoingRecord(topic="notification-events", key=b"u-1", value=trigger.encode(), headers=()),
    )


async def test_a_send_claimed_by_one_instance_is_busy_for_the_other_then_sent(pair: tuple[Database, Database]) -> None:
    one, two = pair
    assert await one.claim("e-1", WELCOME) is Claim.CLAIMED
    assert await two.claim("e-1", WELCOME) is Claim.BUSY
    # The same instance again (its record redelivered after a crash of its own): it takes its claim back.
    assert await one.claim("e-1", WELCOME) is Claim.CLAIMED
    assert await one.record_sent(*sent("e-1"))
    assert await two.claim("e-1", WELCOME) is Claim.SENT
    assert await one.claim("e-1", WELCOME) is Claim.SENT


async def test_a_released_claim_is_free_and_a_stale_one_is_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "notification-service.sqlite3"
    one = await Database.open(path, owner="a", lease=timedelta(seconds=60))
    quick = await Database.open(path, owner="b", lease=timedelta(0))
    try:
        assert await one.claim("e-2", WELCOME) is Claim.CLAIMED
        await one.release("e-2", WELCOME)
        assert await quick.claim("e-2", WELCOME) is Claim.CLAIMED
        # b's claim is a minute old for a only after a minute; for b an older claim of a is stale at once.
        assert await one.claim("e-2", WELCOME) is Claim.BUSY
        assert await one.claim("e-3", WELCOME) is Claim.CLAIMED
        assert await quick.claim("e-3", WELCOME) is Claim.CLAIMED
    finally:
        await one.close()
        await quick.close()


async def test_each_outbox_event_is_handed_to_one_instance(pair: tuple[Database, Database]) -> None:
    one, two = pair
    for trigger in ("e-4", "e-5"):
        assert await one.claim(trigger, WELCOME) is Claim.CLAIMED
        assert await one.record_sent(*sent(trigger))
    # Written by one and leased to it: two does not publish them while the lease holds.
    assert await two.pending_events() == []
    pending = await one.pending_events()
    assert [p.record.value for p in pending] == [b"e-4", b"e-5"]
    await one.mark_published([p.id for p in pending])
    assert await one.pending_events() == []
    # Published rows leave the outbox: its size does not grow with the history of sent mail.
    assert await one.outbox_size() == 0


async def test_published_rows_kept_by_an_earlier_version_are_dropped_on_open(tmp_path: Path) -> None:
    path = tmp_path / "notification-service.sqlite3"
    old = await Database.open(path, owner="notification-service", lease=timedelta(seconds=60))
    for trigger in ("e-6", "e-7"):
        assert await old.claim(trigger, WELCOME) is Claim.CLAIMED
        assert await old.record_sent(*sent(trigger))
    # What the earlier version did instead of deleting: it stamped the row and kept it.
    await old._write(
        lambda db: db.execute("UPDATE outbox SET published_at = '2026-12-01T00:00:00+00:00' WHERE value = ?", (b"e-6",))
    )
    await old.close()

    reopened = await Database.open(path, owner="notification-service", lease=timedelta(seconds=60))
    try:
        assert await reopened.outbox_size() == 1
        assert [p.record.value for p in await reopened.pending_events()] == [b"e-7"]
    finally:
        await reopened.close()


class Clock:
    """The time both instances of a test see, moved on by the test instead of waited for."""

    def __init__(self) -> None:
        self.now = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


LEASE = timedelta(seconds=120)
ALIVE_FOR = timedelta(seconds=10)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def living(tmp_path: Path, clock: Clock) -> AsyncIterator[tuple[Database, Database]]:
    """Two instances on one file and one clock; the first has beaten once (it is alive for 10 s)."""
    path = tmp_path / "shared" / "notification-service.sqlite3"
    one = await Database.open(path, owner="notification-service", lease=LEASE, alive_for=ALIVE_FOR, clock=clock)
    two = await Database.open(path, owner="notification-service-2", lease=LEASE, alive_for=ALIVE_FOR, clock=clock)
    await one.beat()
    yield one, two
    await one.close()
    await two.close()


async def test_a_living_owners_claim_holds_for_the_whole_lease(living: tuple[Database, Database], clock: Clock) -> None:
    one, two = living
    assert await one.claim("e-10", WELCOME) is Claim.CLAIMED
    # Beating, one stays alive long past one window: a slow send keeps its claim.
    for _ in range(11):
        clock.advance(8)
        await one.beat()
        assert await two.claim("e-10", WELCOME) is Claim.BUSY
    # Alive but stuck beyond the lease: taken over, as before liveness rows.
    clock.advance(LEASE.total_seconds() - 11 * 8)
    await one.beat()
    assert await two.claim("e-10", WELCOME) is Claim.CLAIMED


async def test_a_claim_whose_owner_stopped_beating_is_taken_over_after_the_window(
    living: tuple[Database, Database], clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    one, two = living
    assert await one.claim("e-11", WELCOME) is Claim.CLAIMED
    # one is killed: no more beats. Within its window the claim still holds.
    clock.advance(9.9)
    assert await two.claim("e-11", WELCOME) is Claim.BUSY
    clock.advance(0.1)
    with caplog.at_level(logging.WARNING, logger="notification.storage.database"):
        assert await two.claim("e-11", WELCOME) is Claim.CLAIMED
    # The moment a mail may go out twice is in the log, with whose claim it was and why.
    [taken] = [r for r in caplog.records if r.getMessage() == "send claim taken over"]
    assert (vars(taken)["from_owner"], vars(taken)["reason"]) == ("notification-service", "owner not alive")


async def test_a_cleanly_stopped_owners_claim_is_taken_over_at_once(living: tuple[Database, Database]) -> None:
    one, two = living
    assert await one.claim("e-12", WELCOME) is Claim.CLAIMED
    assert await one.claim("e-19", WELCOME) is Claim.CLAIMED
    await one.leave()
    assert await two.claim("e-12", WELCOME) is Claim.CLAIMED
    # one started again under its name takes its own leftovers at once, as before.
    assert await one.claim("e-19", WELCOME) is Claim.CLAIMED


async def test_an_owner_without_a_liveness_row_is_judged_by_the_lease_alone(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "notification-service.sqlite3"
    # An instance of an earlier version never beats: no liveness row, and its claims are not free earlier.
    older = await Database.open(path, owner="notification-service", lease=LEASE, alive_for=ALIVE_FOR, clock=clock)
    newer = await Database.open(path, owner="notification-service-2", lease=LEASE, alive_for=ALIVE_FOR, clock=clock)
    try:
        await newer.beat()
        assert await older.claim("e-13", WELCOME) is Claim.CLAIMED
        assert await older.record_sent(*sent("e-14"))
        clock.advance(LEASE.total_seconds() - 1)
        assert await newer.claim("e-13", WELCOME) is Claim.BUSY
        assert await newer.pending_events() == []
        clock.advance(1.5)
        assert await newer.claim("e-13", WELCOME) is Claim.CLAIMED
        assert [p.record.value for p in await newer.pending_events()] == [b"e-14"]
    finally:
        await older.close()
        await newer.close()


async def test_a_living_owners_outbox_lease_holds_for_the_whole_lease(
    living: tuple[Database, Database], clock: Clock
) -> None:
    one, two = living
    assert await one.record_sent(*sent("e-15"))
    for _ in range(14):
        clock.advance(8)
        await one.beat()
        assert await two.pending_events() == []
    clock.advance(LEASE.total_seconds() - 14 * 8 + 0.5)
    await one.beat()
    assert [p.record.value for p in await two.pending_events()] == [b"e-15"]
    # Leased to two now: one does not publish it too.
    assert await one.pending_events() == []


async def test_an_outbox_lease_whose_owner_stopped_beating_is_taken_over_after_the_window(
    living: tuple[Database, Database], clock: Clock
) -> None:
    one, two = living
    assert await one.record_sent(*sent("e-16"))
    clock.advance(9.9)
    assert await two.pending_events() == []
    clock.advance(0.1)
    assert [p.record.value for p in await two.pending_events()] == [b"e-16"]
    assert await one.pending_events() == []


async def test_a_cleanly_stopped_owners_outbox_lease_is_taken_over_at_once(living: tuple[Database, Database]) -> None:
    one, two = living
    assert await one.record_sent(*sent("e-17"))
    await one.leave()
    assert [p.record.value for p in await two.pending_events()] == [b"e-17"]
    # Started again under its name, one is alive again and keeps what it leases from then on.
    await one.beat()
    assert await one.record_sent(*sent("e-18"))
    assert [p.record.value for p in await two.pending_events()] == [b"e-17"]


async def alive_until(database: Database, owner: str) -> str | None:
    row = await database._read(
        lambda db: db.execute("SELECT alive_until FROM instances WHERE owner = ?", (owner,)).fetchone()
    )
    return None if row is None else str(row[0])


async def test_a_running_service_is_alive_from_its_start_to_its_shutdown(
    settings: Settings, runtime: Runtime, database: Database
) -> None:
    other = await Database.open(settings.database_path, owner="notification-service-2")
    try:
        # What the last clean shutdown of this instance left: its liveness row in the past.
        await database.leave()
        await runtime.start(consume=False)
        # Alive before its first claim: the other instance does not take it.
        assert await database.claim("e-20", WELCOME) is Claim.CLAIMED
        assert await other.claim("e-20", WELCOME) is Claim.BUSY
        await runtime.shutdown()
        assert await other.claim("e-20", WELCOME) is Claim.CLAIMED
    finally:
        await other.close()


async def test_a_running_service_renews_its_liveness(
    settings: Settings, database: Database, publisher: FakePublisher
) -> None:
    quick = settings.model_copy(update={"liveness_interval_seconds": 0.05, "liveness_window_seconds": 10.0})
    runtime = Runtime.build(quick, database, publisher)
    await runtime.start(consume=False)
    try:
        first = await alive_until(database, "notification-service")
        assert first is not None

        async def renewed() -> None:
            while await alive_until(database, "notification-service") == first:
                await asyncio.sleep(0.01)

        await asyncio.wait_for(renewed(), timeout=10)
    finally:
        await runtime.shutdown()
