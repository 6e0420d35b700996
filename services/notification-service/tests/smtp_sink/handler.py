"""Keeps each received message in a Maildir (aiosmtpd's Mailbox handler) and logs it."""

from __future__ import annotations

import logging
from email.message import Message
from pathlib import Path

from aiosmtpd.handlers import Mailbox

logger = logging.getLogger(__name__)


class MaildirSink(Mailbox):
    """Maildir delivery is atomic (tmp/ then rename into new/), so a reader never sees half a mail."""

    def __init__(self, maildir: Path) -> None:
        maildir.parent.mkdir(parents=True, exist_ok=True)
        super().__init__(maildir)

    def handle_message(self, message: Message) -> None:
        super().handle_message(message)
        logger.info(
            "mail received",
            extra={
                "mail_from": message.get("X-MailFrom", ""),
                "rcpt_to": message.get("X-RcptTo", ""),
                "subject": message.get("Subject", ""),
                "correlation_id": message.get("X-Correlation-ID", ""),
            },
        )
