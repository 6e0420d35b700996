"""An SMTP outage delays but loses nothing, and one failing user does not hold up the others."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from notification.config import Settings
from notification.kafka.dispatcher import DeliveryRetry, Dispatcher
from notification.mail.smtp import SmtpMailer
from notification.notifications.errors import DeliveryFailed
from notification.notifications.models import Email
from notification.notifications.service import NotificationService
from notification.notifications.templates import TemplateRenderer
from notification.runtime import build_routes
from notification.sms.local import LocalSmsProvider
from notification.storage.database import Database, ParkReason
from tests.smtp_sink.outbox import read_outbox
from tests.support import FakePublisher, SinkThread, demo_order, order_record, signup, signup_record


class FlakyMailer:
    """Fails for the addresses in `down` (a refusing server for those users), else sends for real."""

    def __init__(self, real: SmtpMailer) -> None:
        self.real = real
        self.down: set[str] = set()

    async def send(self, email: Email) -> None:
        if email.to_address in self.down:
            raise DeliveryFailed(f"451 mailbox of {email.to_address} busy")
        await self.real.send(email)


def make_dispatcher(
    settings: Settings, database: Database, publisher: FakePublisher, mailer: FlakyMailer, now: list[datetime]
) -> Dispatcher:
    service = NotificationService(
        store=database,
        mailer=mailer,
        sms=LocalSmsProvider(settings.sms_outbox_path),
        renderer=TemplateRenderer(),
        service_name="notification-service",
        service_version="test",
        events_topic="notification-events",
        clock=lambda: now[0],
    )
    return Dispatcher(
        routes=build_routes(service),
        publisher=publisher,
        parking=database,
        group="notification-service",
        user_events_topic="user-events",
        unknown_user_wait=timedelta(seconds=60),
        delivery_retry=DeliveryRetry(budget=timedelta(minutes=10), base=timedelta(seconds=2)),
        clock=lambda: now[0],
    )


async def test_failing_user_waits_in_order_while_others_flow(
    settings: Settings, database: Database, publisher: FakePublisher, sink: SinkThread
) -> None:
    mailer = FlakyMailer(
        SmtpMailer(host="127.0.0.1", port=sink.port, sender="t@x", timeout=5, attempts=1, backoff_seconds=0)
    )
    now = [datetime(2026, 11, 25, 9, 0, tzinfo=UTC)]
    dispatcher = make_dispatcher(settings, database, publisher, mailer, now)
    mailer.down.add("slow@example.com")

    await dispatcher.handle(signup_record(signup(user_id="slow", email="slow@example.com"), event_id="s-1"))
    await dispatcher.handle(signup_record(signup(user_id="fast", email="fast@example.com"), event_id="f-1"))
    await dispatcher.handle(order_record(demo_order(user_id="slow", order_id="o-slow"), event_id="s-2"))
    await dispatcher.handle(order_record(demo_order(user_id="fast", order_id="o-fast"), event_id="f-2"))

    # The fast user's mails went out; the slow user's two records wait, in their order.
    assert [m.subject for m in read_outbox(sink.maildir)] == [
        "Welcome to Kafka Polyglot, Ada Lovelace!",
        "Your order o-fast is pending",
    ]
    assert [(p.event_id, p.reason) for p in await database.parked()] == [
        ("s-1", ParkReason.DELIVERY_FAILED),
        ("s-2", ParkReason.BEHIND),
    ]

    now[0] += timedelta(seconds=1)  # not due yet: nothing is tried
    await dispatcher.retry_parked()
    assert len(await database.parked()) == 2

    mailer.down.clear()  # the server takes mail again
    now[0] += timedelta(seconds=5)
    await dispatcher.retry_parked()
    assert await database.parked() == []
    mails = read_outbox(sink.maildir)
    assert [(m.recipients[0], m.subject) for m in mails[2:]] == [
        ("slow@example.com", "Welcome to Kafka Polyglot, Ada Lovelace!"),
        ("slow@example.com", "Your order o-slow is pending"),
    ]
    assert publisher.on("user-events.dlq") == [] and publisher.on("order-events.dlq") == []
    # One EmailSentEvent queued per mail (the outbox relay publishes them).
    assert len(await database.pending_events()) == 4


async def test_outage_of_the_whole_server_sends_each_mail_once_after_it_returns(
    settings: Settings, database: Database, publisher: FakePublisher, sink: SinkThread
) -> None:
    mailer = FlakyMailer(
        SmtpMailer(host="127.0.0.1", port=sink.port, sender="t@x", timeout=5, attempts=1, backoff_seconds=0)
    )
    now = [datetime(2026, 11, 25, 9, 0, tzinfo=UTC)]
    dispatcher = make_dispatcher(settings, database, publisher, mailer, now)
    mailer.down.update({"a@example.com", "b@example.com"})
    welcome_a = signup_record(signup(user_id="a", email="a@example.com"), event_id="a-1")
    await dispatcher.handle(welcome_a)
    await dispatcher.handle(signup_record(signup(user_id="b", email="b@example.com"), event_id="b-1"))
    await dispatcher.handle(welcome_a)  # redelivered during the outage: parked once
    for _ in range(3):
        now[0] += timedelta(minutes=1)
        await dispatcher.retry_parked()
    assert read_outbox(sink.maildir) == [] and len(await database.parked()) == 2

    mailer.down.clear()
    now[0] += timedelta(minutes=1)
    await dispatcher.retry_parked()
    await dispatcher.handle(welcome_a)  # and once more after: the sent-log stops it
    assert sorted(m.recipients[0] for m in read_outbox(sink.maildir)) == ["a@example.com", "b@example.com"]
    assert len(await database.pending_events()) == 2
