"""SQLite storage on its own thread, so no query blocks the event loop.

One connection per process, owned by one worker thread; each method hands that thread one function
that runs a whole transaction (or read), so a step costs one thread hop, not one per statement as
with aiosqlite, and two coroutines never interleave statements inside one transaction.

The file may be shared by several instances of the service in one consumer group (`up --scale`):
partitions move between instances on a rebalance, so the directory of users, the sent-log, the
parked records and the outbox must be the group's, not one instance's. SQLite in WAL mode takes
several processes on one machine; every write transaction starts with BEGIN IMMEDIATE (the write
lock up front, so two processes never deadlock upgrading a read) and waits up to `busy_timeout`.
Two instances may still hold the same record for a moment (the old owner finishing it while the
new owner re-reads it from the committed offset), so a send is *claimed* first (table `claims`,
one row per trigger event id and notification type, owned by an instance for a lease) and the
outbox is published under a lease too: whoever holds the claim sends, the other waits.

A lease alone cannot tell a dead owner from a busy one, so it had to be long (a send with all its
tries), and a killed instance's claimed mail and outbox rows waited all of it. Each instance therefore
also keeps a liveness row (table `instances`), renewed every few seconds while it runs and marked dead
by a clean shutdown after its last send: another owner's claim or lease holds only while it is within
the lease AND its owner is alive, which is what a database server's row locks give when a session
dies. An owner with no liveness row (an instance of an earlier version) is judged by the lease alone.
"""

from __future__ import annotations

import asyncio
import base64
import functools
import json
import logging
import sqlite3
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from notification.cloudevents import Headers, OutgoingRecord
from notification.notifications.models import NotificationType, SentNotification, User

T = TypeVar("T")

logger = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    user_id      TEXT PRIMARY KEY,
    email        TEXT NOT NULL,
    name         TEXT NOT NULL,
    phone_number TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sent_log (
    trigger_event_id  TEXT NOT NULL,
    notification_type TEXT NOT NULL,
    user_id           TEXT NOT NULL,
    recipient         TEXT NOT NULL,
    subject           TEXT NOT NULL,
    order_id          TEXT NOT NULL,
    email_event_id    TEXT NOT NULL,
    sent_at           TEXT NOT NULL,
    PRIMARY KEY (trigger_event_id, notification_type)
);
CREATE INDEX IF NOT EXISTS sent_log_user ON sent_log (user_id, sent_at);
CREATE TABLE IF NOT EXISTS outbox (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    topic        TEXT NOT NULL,
    key          BLOB,
    value        BLOB NOT NULL,
    headers      TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    published_at TEXT
);
CREATE TABLE IF NOT EXISTS parked (
    event_id        TEXT PRIMARY KEY,
    user_id         TEXT NOT NULL,
    reason          TEXT NOT NULL,
    attempts        INTEGER NOT NULL,
    next_attempt_at TEXT NOT NULL,
    topic           TEXT NOT NULL,
    partition       INTEGER NOT NULL,
    "offset"        INTEGER NOT NULL,
    key             BLOB,
    value           BLOB NOT NULL,
    headers         TEXT NOT NULL,
    parked_at       TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS parked_user ON parked (user_id);
CREATE TABLE IF NOT EXISTS claims (
    trigger_event_id  TEXT NOT NULL,
    notification_type TEXT NOT NULL,
    owner             TEXT NOT NULL,
    claimed_at        TEXT NOT NULL,
    PRIMARY KEY (trigger_event_id, notification_type)
);
CREATE TABLE IF NOT EXISTS instances (
    owner       TEXT PRIMARY KEY,
    alive_until TEXT NOT NULL
);
"""

# Columns added after the first release: a database made by it gets them on open.
_OUTBOX_LEASE_COLUMNS = (("lease_owner", "TEXT"), ("lease_until", "TEXT"))


def _encode_headers(headers: Headers) -> str:
    # Header values are bytes and need not be UTF-8 (a poison record's may not be).
    return json.dumps([[name, base64.b64encode(value).decode()] for name, value in headers])


def _decode_headers(text: str) -> Headers:
    return tuple((str(name), base64.b64decode(value)) for name, value in json.loads(text))


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _stamp(moment: datetime) -> str:
    # Always with microseconds: lease_until and alive_until are compared as text in SQL, and
    # isoformat() drops a zero fraction ("...:05+00:00" sorts before "...:05.000000+00:00").
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _alive(db: sqlite3.Connection, owner: str, now: datetime) -> bool:
    """Whether `owner` counts as running: its liveness row is fresh, or it has none (an earlier
    version, which never writes one: its claims and leases are then judged by the lease alone)."""
    row = db.execute("SELECT alive_until FROM instances WHERE owner = ?", (owner,)).fetchone()
    return row is None or datetime.fromisoformat(str(row[0])) > now


@dataclass(frozen=True, slots=True)
class PendingEvent:
    """An event of the outbox not yet acknowledged by the broker."""

    id: int
    record: OutgoingRecord


class Claim(StrEnum):
    """What `Database.claim` found: the caller sends only on CLAIMED."""

    CLAIMED = "claimed"
    # In the sent-log already: a redelivery, nothing to send.
    SENT = "sent"
    # Another instance holds a fresh claim: it is sending right now.
    BUSY = "busy"


class ParkReason(StrEnum):
    """Why a consumed record waits in the database instead of being handled now."""

    # Its user's sign-up has not arrived yet (it travels on another topic).
    USER_UNKNOWN = "user-unknown"
    # The SMTP server (or the SMS provider) failed: retried later with backoff.
    DELIVERY_FAILED = "delivery-failed"
    # An earlier record of the same user waits for delivery: keeps the user's order.
    BEHIND = "behind"


@dataclass(frozen=True, slots=True)
class ParkedRecord:
    """A consumed record that waits; its offset was stored, so this row is what keeps it."""

    event_id: str
    user_id: str
    reason: ParkReason
    attempts: int
    next_attempt_at: datetime
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    headers: Headers
    parked_at: datetime


class Database:
    """The service's tables; open with `Database.open(path)`, close with `close()`.

    Each method is one call on the database's own thread: a transaction runs there whole (BEGIN
    IMMEDIATE, its statements, COMMIT), one hop from the event loop instead of one per statement."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        thread: ThreadPoolExecutor,
        owner: str,
        lease: timedelta,
        alive_for: timedelta,
        clock: Callable[[], datetime],
    ) -> None:
        self._db = connection
        self._thread = thread
        self._owner = owner
        self._lease = lease
        self._alive_for = alive_for
        self._clock = clock

    @classmethod
    async def open(
        cls,
        path: Path,
        *,
        owner: str = "notification-service",
        lease: timedelta = timedelta(seconds=120),
        alive_for: timedelta = timedelta(seconds=10),
        clock: Callable[[], datetime] = _utc_now,
    ) -> Database:
        """`owner` names this instance in claims and outbox leases (a restarted instance is the same
        owner, so it takes its own leftovers at once); `lease` is how long another instance's claim
        holds while that instance is alive: longer than one send with all its tries, or one outbox
        publish; `alive_for` is how long one `beat()` keeps this owner alive; `clock` (tests) tells
        the time used for claims, leases and liveness."""
        path.parent.mkdir(parents=True, exist_ok=True)
        # One thread owns the connection: every statement runs there, in submission order.
        thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sqlite")
        connection = await asyncio.get_running_loop().run_in_executor(thread, _connect, path)
        database = cls(connection, thread, owner, lease, alive_for, clock)
        await database._write(_migrate)
        return database

    async def close(self) -> None:
        await self._read(lambda db: db.close())
        self._thread.shutdown(wait=True)

    async def ping(self) -> None:
        await self._read(lambda db: db.execute("SELECT 1").fetchone())

    # --- this instance's liveness ---

    async def beat(self) -> None:
        """Keeps this owner alive for `alive_for` from now: its claims and leases hold meanwhile.

        Why a stalled but living instance is (nearly) safe: the beat runs on the same event loop as
        the sends and on the same database thread as the claims, so an instance whose sends are
        merely slow (an SMTP server taking its time, a loaded machine) still beats, and its claims
        hold for the whole lease as before. What remains is a stall of the whole process longer than
        `alive_for` (SIGSTOP, a paused VM, the event loop blocked that long, the database thread
        waiting that long for the write lock) in the middle of a send or publish: another instance
        then takes the claim over and sends too, and the stalled one, resumed, finishes its own
        send: that mail goes out twice (its EmailSentEvent once: the sent-log keeps the first); an
        outbox row whose publish stalled so is published by both (one event, one id, twice on the
        topic). Before the liveness rows the same happened after a stall longer than the lease; the
        window is now `alive_for` (10 s by default: five beats missed), the price of taking a dead
        instance's sends over within seconds instead of minutes. SMTP has no fencing token that
        would close it."""

        def work(db: sqlite3.Connection) -> None:
            # The time is taken when the transaction runs, not when the beat was queued behind others.
            db.execute(
                "INSERT INTO instances (owner, alive_until) VALUES (?, ?)"
                " ON CONFLICT (owner) DO UPDATE SET alive_until = excluded.alive_until",
                (self._owner, _stamp(self._clock() + self._alive_for)),
            )

        await self._write(work)

    async def leave(self) -> None:
        """Marks this owner dead (a clean shutdown, after its last send): its claims and outbox leases
        are free for the others at once. The row stays, in the past: without one, the others would
        fall back to the lease (the rule for an earlier version's instances)."""

        def work(db: sqlite3.Connection) -> None:
            db.execute(
                "INSERT INTO instances (owner, alive_until) VALUES (?, ?)"
                " ON CONFLICT (owner) DO UPDATE SET alive_until = excluded.alive_until",
                (self._owner, _stamp(self._clock())),
            )

        await self._write(work)

    async def _read(self, work: Callable[[sqlite3.Connection], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._thread, work, self._db)

    async def _write(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Runs `work` in one transaction, on the database's thread."""
        return await self._read(functools.partial(_in_transaction, work))

    # --- the directory of users ---

    async def upsert_user(self, user: User) -> None:
        def work(db: sqlite3.Connection) -> None:
            db.execute(
                "INSERT INTO users (user_id, email, name, phone_number, updated_at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (user_id) DO UPDATE SET email = excluded.email, name = excluded.name,"
                " phone_number = excluded.phone_number, updated_at = excluded.updated_at",
                (user.user_id, user.email, user.name, user.phone_number, _now()),
            )

        await self._write(work)

    async def get_user(self, user_id: str) -> User | None:
        def work(db: sqlite3.Connection) -> User | None:
            row = db.execute(
                "SELECT user_id, email, name, phone_number FROM users WHERE user_id = ?", (user_id,)
            ).fetchone()
            return None if row is None else User(str(row[0]), str(row[1]), str(row[2]), str(row[3]))

        return await self._read(work)

    # --- the sent-log and the outbox, written in one transaction ---

    async def was_sent(self, trigger_event_id: str, kind: NotificationType) -> bool:
        def work(db: sqlite3.Connection) -> bool:
            return (
                db.execute(
                    "SELECT 1 FROM sent_log WHERE trigger_event_id = ? AND notification_type = ?",
                    (trigger_event_id, kind.value),
                ).fetchone()
                is not None
            )

        return await self._read(work)

    async def claim(self, trigger_event_id: str, kind: NotificationType) -> Claim:
        """Takes the right to send one notification, unless it was sent or another instance is sending it.

        A claim of this owner (a send cut short by a crash of this instance), one older than the lease
        (a stuck other instance) or one whose owner is no longer alive (killed, or shut down) is taken
        over: that send may have reached the server, which is the one window in which a notification
        goes out twice."""
        now = self._clock()

        def work(db: sqlite3.Connection) -> Claim:
            if (
                db.execute(
                    "SELECT 1 FROM sent_log WHERE trigger_event_id = ? AND notification_type = ?",
                    (trigger_event_id, kind.value),
                ).fetchone()
                is not None
            ):
                return Claim.SENT
            row = db.execute(
                "SELECT owner, claimed_at FROM claims WHERE trigger_event_id = ? AND notification_type = ?",
                (trigger_event_id, kind.value),
            ).fetchone()
            if row is not None and str(row[0]) != self._owner:
                within_lease = now - datetime.fromisoformat(str(row[1])) < self._lease
                if within_lease and _alive(db, str(row[0]), now):
                    return Claim.BUSY
                # The one moment a mail may go out twice (the other may have handed it to the server):
                # worth a line that says whose claim and why.
                logger.warning(
                    "send claim taken over",
                    extra={
                        "event_id": trigger_event_id,
                        "notification": kind.value,
                        "from_owner": str(row[0]),
                        "reason": "owner not alive" if within_lease else "lease over",
                    },
                )
            db.execute(
                "INSERT INTO claims (trigger_event_id, notification_type, owner, claimed_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (trigger_event_id, notification_type) DO UPDATE SET owner = excluded.owner,"
                " claimed_at = excluded.claimed_at",
                (trigger_event_id, kind.value, self._owner, _stamp(now)),
            )
            return Claim.CLAIMED

        return await self._write(work)

    async def release(self, trigger_event_id: str, kind: NotificationType) -> None:
        """Gives a claim back after a send that failed, so that any instance may try again."""

        def work(db: sqlite3.Connection) -> None:
            db.execute(
                "DELETE FROM claims WHERE trigger_event_id = ? AND notification_type = ? AND owner = ?",
                (trigger_event_id, kind.value, self._owner),
            )

        await self._write(work)

    async def record_sent(self, sent: SentNotification, event: OutgoingRecord) -> bool:
        """Logs a sent notification and queues its event; False when it was logged already."""
        lease_until = _stamp(self._clock() + self._lease)

        def work(db: sqlite3.Connection) -> bool:
            cursor = db.execute(
                "INSERT OR IGNORE INTO sent_log (trigger_event_id, notification_type, user_id, recipient,"
                " subject, order_id, email_event_id, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    sent.trigger_event_id,
                    sent.notification_type.value,
                    sent.user_id,
                    sent.recipient,
                    sent.subject,
                    sent.order_id,
                    sent.email_event_id,
                    sent.sent_at.isoformat(),
                ),
            )
            if cursor.rowcount == 0:
                return False
            db.execute(
                "DELETE FROM claims WHERE trigger_event_id = ? AND notification_type = ?",
                (sent.trigger_event_id, sent.notification_type.value),
            )
            db.execute(
                "INSERT INTO outbox (topic, key, value, headers, created_at, lease_owner, lease_until)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    event.topic,
                    event.key,
                    event.value,
                    _encode_headers(event.headers),
                    _now(),
                    self._owner,
                    lease_until,
                ),
            )
            return True

        return await self._write(work)

    async def sent_to_user(self, user_id: str) -> list[SentNotification]:
        def work(db: sqlite3.Connection) -> list[Any]:
            return db.execute(
                "SELECT trigger_event_id, notification_type, user_id, recipient, subject, order_id, email_event_id,"
                " sent_at FROM sent_log WHERE user_id = ? ORDER BY sent_at",
                (user_id,),
            ).fetchall()

        rows = await self._read(work)
        return [
            SentNotification(
                trigger_event_id=str(r[0]),
                notification_type=NotificationType(str(r[1])),
                user_id=str(r[2]),
                recipient=str(r[3]),
                subject=str(r[4]),
                order_id=str(r[5]),
                email_event_id=str(r[6]),
                sent_at=datetime.fromisoformat(str(r[7])),
            )
            for r in rows
        ]

    async def pending_events(self, limit: int = 100) -> list[PendingEvent]:
        """Unpublished events that this owner may publish now: its own, and others' whose lease ran out
        or whose owner is no longer alive (leased to this owner for the lease, so that two instances
        never publish one event at once)."""
        now = self._clock()

        def work(db: sqlite3.Connection) -> list[Any]:
            # An owner without a liveness row is not in the subquery: its rows wait for the lease.
            db.execute(
                "UPDATE outbox SET lease_owner = ?, lease_until = ? WHERE published_at IS NULL"
                " AND (lease_owner IS NULL OR lease_owner = ? OR lease_until < ?"
                " OR lease_owner IN (SELECT owner FROM instances WHERE alive_until <= ?))",
                (self._owner, _stamp(now + self._lease), self._owner, _stamp(now), _stamp(now)),
            )
            return db.execute(
                "SELECT id, topic, key, value, headers FROM outbox WHERE published_at IS NULL AND lease_owner = ?"
                " ORDER BY id LIMIT ?",
                (self._owner, limit),
            ).fetchall()

        rows = await self._write(work)
        return [
            PendingEvent(
                id=int(r[0]),
                record=OutgoingRecord(
                    topic=str(r[1]),
                    key=None if r[2] is None else bytes(r[2]),
                    value=bytes(r[3]),
                    headers=_decode_headers(str(r[4])),
                ),
            )
            for r in rows
        ]

    async def mark_published(self, ids: Sequence[int]) -> None:
        """The broker acknowledged these: they leave the outbox (as user-service's relay deletes its
        sent rows). Kept, they made every pending-events scan read the whole history."""

        def work(db: sqlite3.Connection) -> None:
            db.executemany("DELETE FROM outbox WHERE id = ?", [(event_id,) for event_id in ids])

        await self._write(work)

    async def outbox_size(self) -> int:
        """Rows in the outbox: the events not yet acknowledged by the broker."""
        row = await self._read(lambda db: db.execute("SELECT COUNT(*) FROM outbox").fetchone())
        return int(row[0]) if row else 0

    # --- records parked until their user is known or delivery works again ---

    async def park(self, record: ParkedRecord) -> None:
        def work(db: sqlite3.Connection) -> None:
            db.execute(
                "INSERT OR IGNORE INTO parked (event_id, user_id, reason, attempts, next_attempt_at, topic, partition,"
                ' "offset", key, value, headers, parked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
                (
                    record.event_id,
                    record.user_id,
                    record.reason.value,
                    record.attempts,
                    record.next_attempt_at.isoformat(),
                    record.topic,
                    record.partition,
                    record.offset,
                    record.key,
                    record.value,
                    _encode_headers(record.headers),
                    record.parked_at.isoformat(),
                ),
            )

        await self._write(work)

    async def parked(self, user_id: str | None = None) -> list[ParkedRecord]:
        """Oldest first (insertion order), so one user's records keep their order."""
        query = (
            "SELECT event_id, user_id, reason, attempts, next_attempt_at, topic, partition,"
            ' "offset", key, value, headers, parked_at FROM parked'
        )
        params: tuple[str, ...] = ()
        if user_id is not None:
            query += " WHERE user_id = ?"
            params = (user_id,)
        rows: list[Any] = await self._read(lambda db: db.execute(query + " ORDER BY rowid", params).fetchall())
        return [
            ParkedRecord(
                event_id=str(r[0]),
                user_id=str(r[1]),
                reason=ParkReason(str(r[2])),
                attempts=int(r[3]),
                next_attempt_at=datetime.fromisoformat(str(r[4])),
                topic=str(r[5]),
                partition=int(r[6]),
                offset=int(r[7]),
                key=None if r[8] is None else bytes(r[8]),
                value=bytes(r[9]),
                headers=_decode_headers(str(r[10])),
                parked_at=datetime.fromisoformat(str(r[11])),
            )
            for r in rows
        ]

    async def waits_for_delivery(self, user_id: str) -> bool:
        """True while a record of this user waits for SMTP: later ones must queue behind it."""

        def work(db: sqlite3.Connection) -> bool:
            return (
                db.execute(
                    "SELECT 1 FROM parked WHERE user_id = ? AND reason IN (?, ?) LIMIT 1",
                    (user_id, ParkReason.DELIVERY_FAILED.value, ParkReason.BEHIND.value),
                ).fetchone()
                is not None
            )

        return await self._read(work)

    async def reschedule(self, event_id: str, reason: ParkReason, attempts: int, next_attempt_at: datetime) -> None:
        def work(db: sqlite3.Connection) -> None:
            db.execute(
                "UPDATE parked SET reason = ?, attempts = ?, next_attempt_at = ? WHERE event_id = ?",
                (reason.value, attempts, next_attempt_at.isoformat(), event_id),
            )

        await self._write(work)

    async def unpark(self, event_id: str) -> None:
        await self._write(lambda db: db.execute("DELETE FROM parked WHERE event_id = ?", (event_id,)))


def _connect(path: Path) -> sqlite3.Connection:
    # isolation_level=None: transactions are begun explicitly (BEGIN IMMEDIATE) in _in_transaction.
    # check_same_thread=False: made here, on the database's thread, and only ever used there.
    connection = sqlite3.connect(path, isolation_level=None, timeout=30.0, check_same_thread=False)
    connection.execute("PRAGMA busy_timeout=30000")
    connection.execute("PRAGMA journal_mode=WAL")
    # NORMAL, not FULL: in WAL mode a commit is then a write to the WAL without an fsync. A
    # committed transaction survives a crash of the process (SIGKILL: the fault suites); only an
    # OS crash or power loss may undo the last ones, the same exposure as the broker's, which
    # acknowledges records without an fsync. FULL made every claim and sent-log commit wait for
    # the disk: several fsyncs per record, on the path every mail takes.
    connection.execute("PRAGMA synchronous=NORMAL")
    return connection


def _in_transaction(work: Callable[[sqlite3.Connection], T], db: sqlite3.Connection) -> T:
    # BEGIN IMMEDIATE: the write lock up front, so two processes never deadlock upgrading a read.
    db.execute("BEGIN IMMEDIATE")
    try:
        result = work(db)
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
    return result


def _migrate(db: sqlite3.Connection) -> None:
    for statement in _SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)
    columns = {str(row[1]) for row in db.execute("PRAGMA table_info(outbox)").fetchall()}
    for name, kind in _OUTBOX_LEASE_COLUMNS:
        if name not in columns:
            db.execute(f"ALTER TABLE outbox ADD COLUMN {name} {kind}")
    # Published rows that an earlier version kept: the history a pending-events scan read.
    db.execute("DELETE FROM outbox WHERE published_at IS NOT NULL")
