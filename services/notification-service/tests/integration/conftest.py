"""Fixtures of the integration tests (the real broker at KAFKA_BOOTSTRAP_SERVERS)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.integration.broker import create_topics, delete_topics


@pytest.fixture
def topics() -> Iterator[dict[str, str]]:
    names = create_topics()
    yield names
    delete_topics(names)
