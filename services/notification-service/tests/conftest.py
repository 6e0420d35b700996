"""Shared fixtures: settings in a temporary folder, the real SMTP sink, a fake publisher."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from notification.config import Settings
from notification.runtime import Runtime
from notification.storage.database import Database
from tests.support import FakePublisher, SinkThread


@pytest.fixture
def sink(tmp_path: Path) -> Iterator[SinkThread]:
    thread = SinkThread(tmp_path / "sink").start()
    yield thread
    thread.stop()


@pytest.fixture
def settings(tmp_path: Path, sink: SinkThread) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        smtp_port=sink.port,
        smtp_attempts=2,
        smtp_backoff_seconds=0.01,
        smtp_timeout_seconds=5,
        unknown_user_wait_seconds=60,
        zipkin_endpoint="off",
    )


@pytest.fixture
def publisher() -> FakePublisher:
    return FakePublisher()


@pytest.fixture
async def database(settings: Settings) -> AsyncIterator[Database]:
    db = await Database.open(settings.database_path)
    yield db
    await db.close()


@pytest.fixture
def runtime(settings: Settings, database: Database, publisher: FakePublisher) -> Runtime:
    """Everything but the Kafka consumer: tests hand records to `runtime.process` themselves."""
    return Runtime.build(settings, database, publisher)
