"""Reads what the test sink received from its Maildir."""

from __future__ import annotations

import mailbox
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from pathlib import Path

_PARSER = BytesParser(policy=policy.default)


@dataclass(frozen=True, slots=True)
class ReceivedMail:
    message_id: str
    sender: str
    recipients: tuple[str, ...]
    subject: str
    date: datetime | None
    received_at: datetime
    text: str
    html: str
    correlation_id: str


def _body(message: EmailMessage, subtype: str) -> str:
    part = message.get_body(preferencelist=(subtype,))
    return part.get_content() if isinstance(part, EmailMessage) else ""


def _date(message: EmailMessage) -> datetime | None:
    raw = message.get("Date")
    if not raw:
        return None
    try:
        return parsedate_to_datetime(str(raw))
    except (TypeError, ValueError):
        return None


def read_outbox(maildir: Path) -> list[ReceivedMail]:
    """Every received mail, oldest first; an empty list when nothing arrived yet. Blocking: run in a thread."""
    if not (maildir / "new").is_dir() and not (maildir / "cur").is_dir():
        return []
    box = mailbox.Maildir(maildir, create=False)
    mails: list[ReceivedMail] = []
    for key in box.keys():
        try:
            raw = box.get_bytes(key)
            delivered = box.get_message(key).get_date()
        except KeyError:
            continue  # removed between listing and reading
        message = _PARSER.parsebytes(raw)
        assert isinstance(message, EmailMessage)
        # aiosmtpd records the SMTP envelope: the addresses the mail was really delivered to.
        envelope_to = str(message.get("X-RcptTo", ""))
        recipients = tuple(a.strip() for a in envelope_to.split(",") if a.strip()) or tuple(
            str(a) for a in message.get_all("To", [])
        )
        mails.append(
            ReceivedMail(
                message_id=str(message.get("Message-ID", key)),
                sender=str(message.get("X-MailFrom") or message.get("From", "")),
                recipients=recipients,
                subject=str(message.get("Subject", "")),
                date=_date(message),
                received_at=datetime.fromtimestamp(delivered, UTC),
                text=_body(message, "plain"),
                html=_body(message, "html"),
                correlation_id=str(message.get("X-Correlation-ID", "")),
            )
        )
    mails.sort(key=lambda mail: (mail.received_at, mail.message_id))
    return mails
