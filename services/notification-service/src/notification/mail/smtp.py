"""Sends e-mails with aiosmtplib over one kept connection, retrying a refusing or unreachable server
with backoff and jitter.

A connection per mail cost a TCP handshake, EHLO and QUIT on both ends for every message (the
largest share of the service's own time per mail in a py-spy profile at 30 sign-ups/s). One
connection is kept and opened again when the server dropped it. Sends go one at a time: the service
hands the server one mail at a time anyway (NotificationService keeps the window between the
server's acceptance and the sent-log to one mail), so a pool would buy nothing; any SMTP server works.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import random
import unicodedata
from collections.abc import Callable
from email import policy
from email.charset import QP, Charset
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr, formatdate, parseaddr

import aiosmtplib

from notification.notifications.errors import DeliveryFailed
from notification.notifications.models import Email

logger = logging.getLogger(__name__)

_UTF8 = Charset("utf-8")
_UTF8.header_encoding = QP
_UTF8.body_encoding = QP
_WIRE = policy.compat32.clone(linesep="\r\n")


def header_text(value: str) -> str:
    """`value` with each control character as a space: a line break in a header value would
    start another header, so the email package refuses it, and a name is no reason to lose a mail."""
    return "".join(" " if unicodedata.category(c) == "Cc" else c for c in value)


def message_id(email: Email) -> str:
    """The same for every send of one notification: a mail sent again after a crash between the
    server's acceptance and the sent-log (the window in the README) is the same message, which
    receivers can recognise."""
    key = "\n".join((email.trigger_event_id, email.to_address, email.subject))
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@notification-service.polyglot>"


def build_message(email: Email, sender: str) -> Message:
    """A multipart/alternative message: the plain-text part first, the HTML part preferred.

    Built with the email package's compat32 API (MIMEMultipart, MIMEText), not EmailMessage: the
    latter parses every header it is given through its header registry and cost about three times
    the CPU per mail (the largest part of the service's own time per mail in a py-spy profile); the
    bytes on the wire are the same kind of MIME. Non-ASCII header text is RFC 2047-encoded, both
    parts are UTF-8 in quoted-printable (lines wrapped, readable in the raw mail)."""
    message = MIMEMultipart("alternative")
    message["From"] = sender
    message["To"] = formataddr((header_text(email.to_name), email.to_address), charset=_UTF8)
    message["Subject"] = _header(header_text(email.subject), "Subject")
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = message_id(email)
    message["X-Correlation-ID"] = email.correlation_id
    message["X-Trigger-Event-ID"] = email.trigger_event_id
    # MIMEText takes a Charset instance (documented since 3.6); typeshed lists only str.
    message.attach(MIMEText(email.text, "plain", _UTF8))  # type: ignore[arg-type]
    message.attach(MIMEText(email.html, "html", _UTF8))  # type: ignore[arg-type]
    return message


def _header(value: str, name: str) -> str:
    """ASCII as it is; anything else as RFC 2047 encoded words, folded after the header's name."""
    return value if value.isascii() else Header(value, _UTF8, header_name=name).encode()


def message_bytes(message: Message) -> bytes:
    """What goes after DATA: CRLF line ends, as SMTP wants them."""
    return message.as_bytes(policy=_WIRE)


class SmtpMailer:
    """Delivers to one SMTP server over one kept connection; `send` raises DeliveryFailed after the last try."""

    def __init__(
        self,
        *,
        host: str,
        port: int,
        sender: str,
        timeout: float,
        attempts: int,
        backoff_seconds: float,
        on_retry: Callable[[], None] = lambda: None,
    ) -> None:
        self._on_retry = on_retry
        self._host = host
        self._port = port
        self._sender = sender
        # The envelope's sender, parsed once (send_message would parse it from each message).
        self._envelope_sender = parseaddr(sender)[1] or sender
        self._timeout = timeout
        self._attempts = attempts
        self._backoff = backoff_seconds
        self._client: aiosmtplib.SMTP | None = None
        self._lock = asyncio.Lock()

    async def send(self, email: Email) -> None:
        message = message_bytes(build_message(email, self._sender))
        async with self._lock:
            await self._send_with_retries(email, message)

    async def _send_with_retries(self, email: Email, message: bytes) -> None:
        for attempt in range(1, self._attempts + 1):
            try:
                await self._send_once(email.to_address, message)
                return
            except (aiosmtplib.SMTPException, OSError) as error:
                # Whatever went wrong, the connection's state is unknown: the next try opens a new one.
                self._drop()
                if attempt == self._attempts:
                    raise DeliveryFailed(f"SMTP {self._host}:{self._port} after {attempt} tries: {error}") from error
                # Full jitter: many records failing together must not retry in lockstep.
                delay = random.uniform(0, self._backoff * 2 ** (attempt - 1))
                logger.warning(
                    "smtp send failed, retrying",
                    extra={
                        "event_id": email.trigger_event_id,
                        "correlation_id": email.correlation_id,
                        "attempt": attempt,
                        "delay_seconds": round(delay, 3),
                        "err": str(error),
                    },
                )
                self._on_retry()
                await asyncio.sleep(delay)

    async def _send_once(self, recipient: str, message: bytes) -> None:
        # The envelope is known: sendmail with the bytes skips send_message's parsing of the headers.
        options = [] if recipient.isascii() else ["SMTPUTF8"]
        if self._client is not None and self._client.is_connected:
            try:
                await self._client.sendmail(self._envelope_sender, [recipient], message, mail_options=options)
                return
            except aiosmtplib.SMTPServerDisconnected:
                # The server closed the kept connection while it was idle (its idle timeout, or a
                # restart): no failed try, the mail goes over a new connection at once.
                self._drop()
        client = aiosmtplib.SMTP(hostname=self._host, port=self._port, timeout=self._timeout, start_tls=False)
        await client.connect()
        self._client = client
        await client.sendmail(self._envelope_sender, [recipient], message, mail_options=options)

    def _drop(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            client.close()

    async def close(self) -> None:
        """Says QUIT on the kept connection (at shutdown)."""
        async with self._lock:
            client, self._client = self._client, None
            if client is not None and client.is_connected:
                try:
                    await client.quit()
                except (aiosmtplib.SMTPException, OSError):
                    client.close()

    async def ping(self) -> None:
        """Connects and says NOOP: raises when the server is not there or not speaking SMTP."""
        client = aiosmtplib.SMTP(hostname=self._host, port=self._port, timeout=self._timeout, start_tls=False)
        async with client:
            await client.noop()
