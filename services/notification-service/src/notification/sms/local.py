"""The local SMS provider: appends each message as one JSON line to a file (no network)."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path

from notification.notifications.models import TextMessage


class LocalSmsProvider:
    """Stands in for a real SMS gateway; `messages()` reads back what it recorded."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._lock = asyncio.Lock()

    async def send(self, message: TextMessage) -> None:
        line = json.dumps(
            {
                "to": message.to_number,
                "text": message.text,
                "correlation_id": message.correlation_id,
                "trigger_event_id": message.trigger_event_id,
                "received_at": datetime.now(UTC).isoformat(),
            },
            ensure_ascii=False,
        )
        async with self._lock:
            await asyncio.to_thread(self._append, line)

    def _append(self, line: str) -> None:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        with self._path.open("a", encoding="utf-8") as file:
            file.write(line + "\n")

    def messages(self) -> list[dict[str, str]]:
        if not self._path.exists():
            return []
        with self._path.open(encoding="utf-8") as file:
            return [json.loads(line) for line in file if line.strip()]
