"""Two instances on one database file (`up --scale`): one claim per send, one publisher per outbox event."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from notification.cloudevents import OutgoingRecord
from notification.notifications.models import NotificationType, SentNotification
from notification.storage.database import Claim, Database

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
