"""The SMTP path against the real sink (aiosmtpd in this process): what arrives, and what the outbox shows."""

from __future__ import annotations

from dataclasses import replace

import pytest

from notification.mail.smtp import SmtpMailer, build_message
from notification.notifications.errors import DeliveryFailed
from notification.notifications.models import Email
from tests.smtp_sink.outbox import read_outbox
from tests.support import SinkThread

EMAIL = Email(
    to_address="grace@example.com",
    to_name="Grace Hopper",
    subject="Grüße, Grace",
    text="Hello Grace,\nplain text 🚀\n",
    html="<p>Hello &lt;Grace&gt;</p>",
    correlation_id="corr-smtp",
    trigger_event_id="evt-smtp",
)


def mailer(port: int, attempts: int = 3) -> SmtpMailer:
    return SmtpMailer(
        host="127.0.0.1",
        port=port,
        sender="Kafka Polyglot <no-reply@polyglot.example>",
        timeout=5,
        attempts=attempts,
        backoff_seconds=0.01,
    )


async def test_send_arrives_in_the_sink_with_headers_and_both_parts(sink: SinkThread) -> None:
    await mailer(sink.port).send(EMAIL)
    [mail] = read_outbox(sink.maildir)
    assert mail.sender == "no-reply@polyglot.example"
    assert mail.recipients == ("grace@example.com",)
    assert mail.subject == "Grüße, Grace"
    assert mail.text == "Hello Grace,\nplain text 🚀\n"
    assert mail.html.strip() == "<p>Hello &lt;Grace&gt;</p>"
    assert mail.correlation_id == "corr-smtp"
    assert mail.date is not None and mail.date.tzinfo is not None
    assert mail.message_id.endswith("@notification-service.polyglot>")


async def test_ping_answers_when_the_sink_listens(sink: SinkThread) -> None:
    await mailer(sink.port).ping()


async def test_send_without_server_fails_after_every_try(unused_tcp_port: int) -> None:
    with pytest.raises(DeliveryFailed, match="after 3 tries"):
        await mailer(unused_tcp_port, attempts=3).send(EMAIL)


def test_outbox_of_a_sink_that_received_nothing_is_empty(sink: SinkThread) -> None:
    assert read_outbox(sink.maildir) == []
    assert read_outbox(sink.maildir / "does-not-exist") == []


def test_a_name_with_line_breaks_cannot_add_headers_and_the_mail_is_still_built() -> None:
    hostile = replace(EMAIL, to_name="Eve\r\nBcc: all@example.com", subject="Welcome, Eve\r\nBcc: all@example.com!")
    message = build_message(hostile, "no-reply@polyglot.example")
    assert message["Bcc"] is None
    assert message["To"] == '"Eve  Bcc: all@example.com" <grace@example.com>'
    assert message["Subject"] == "Welcome, Eve  Bcc: all@example.com!"


def test_every_send_of_one_notification_is_the_same_message() -> None:
    first = build_message(EMAIL, "no-reply@polyglot.example")
    again = build_message(EMAIL, "no-reply@polyglot.example")
    other = build_message(replace(EMAIL, trigger_event_id="evt-other"), "no-reply@polyglot.example")
    assert first["Message-ID"] == again["Message-ID"]
    assert first["Message-ID"] != other["Message-ID"]
    assert first["Message-ID"].endswith("@notification-service.polyglot>")
