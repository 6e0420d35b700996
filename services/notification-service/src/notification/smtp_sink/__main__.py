"""`python -m notification.smtp_sink`: serves SMTP on SMTP_SINK_PORT until SIGTERM or SIGINT."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable

from aiosmtpd.smtp import SMTP

from notification.json_logging import configure_logging
from notification.smtp_sink.config import SinkSettings
from notification.smtp_sink.handler import MaildirSink

logger = logging.getLogger("notification.smtp_sink")


async def serve(
    settings: SinkSettings,
    stop: asyncio.Event,
    on_listening: Callable[[int], None] | None = None,
    handler: MaildirSink | None = None,
) -> None:
    """Serves until `stop` is set; `on_listening` gets the bound port (useful with port 0); `handler`
    replaces the Maildir handler (the crash tests hold a session at a chosen SMTP step)."""
    handler = handler or MaildirSink(settings.maildir)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="smtp-sink.polyglot"), host=settings.smtp_sink_host, port=settings.smtp_sink_port
    )
    logger.info(
        "smtp sink listening",
        extra={"host": settings.smtp_sink_host, "port": settings.smtp_sink_port, "maildir": str(settings.maildir)},
    )
    if on_listening is not None:
        on_listening(int(server.sockets[0].getsockname()[1]))
    async with server:
        await stop.wait()
    logger.info("smtp sink stopped")


async def _main() -> None:
    settings = SinkSettings()
    configure_logging("smtp-sink", settings.log_level)
    # aiosmtpd logs every SMTP command at INFO; our handler logs one line per received mail.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await serve(settings, stop)


def main() -> None:
    asyncio.run(_main())


if __name__ == "__main__":
    main()
