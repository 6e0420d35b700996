"""Serves SMTP with aiosmtpd until `stop` is set."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from aiosmtpd.smtp import SMTP

from tests.smtp_sink.handler import MaildirSink


async def serve(
    handler: MaildirSink,
    stop: asyncio.Event,
    on_listening: Callable[[int], None],
    host: str = "127.0.0.1",
    port: int = 0,
) -> None:
    """Serves until `stop` is set; `on_listening` gets the bound port (port 0 binds a free one)."""
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(handler, hostname="smtp-sink.polyglot"), host=host, port=port)
    on_listening(int(server.sockets[0].getsockname()[1]))
    async with server:
        await stop.wait()
