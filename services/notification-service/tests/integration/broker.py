"""The real broker for the integration tests: where it is, private topics, reading records back."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable
from typing import TypeVar

import pytest
from confluent_kafka import Consumer, Message, TopicPartition
from confluent_kafka.admin import AdminClient
from confluent_kafka.cimpl import NewTopic

BOOTSTRAP = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
# What `./polyglot up` sets on the contract's topics (cli/src/stack/kafka/topics.ts).
TOPIC_MAX_MESSAGE_BYTES = 2 * 1024 * 1024
MIB = 1024 * 1024
T = TypeVar("T")


def wait_for(what: str, probe: Callable[[], T | None], timeout: float = 45.0) -> T:
    """Polls `probe` until it returns something truthy; fails with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = probe()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(0.2)


def read_all(topic: str, expected: int) -> list[Message]:
    consumer = Consumer(
        {"bootstrap.servers": BOOTSTRAP, "group.id": f"it-reader-{uuid.uuid4()}", "enable.auto.commit": False}
    )
    consumer.assign([TopicPartition(topic, p, 0) for p in range(3)])
    messages: list[Message] = []
    try:

        def more() -> list[Message] | None:
            message = consumer.poll(0.5)
            if message is not None and message.error() is None:
                messages.append(message)
            return messages if len(messages) >= expected else None

        wait_for(f"{expected} records on {topic}", more)
        return messages
    finally:
        consumer.close()


def end_offsets(topic: str) -> int:
    """How many records the topic holds (its partitions' high watermarks, all from offset 0)."""
    consumer = Consumer({"bootstrap.servers": BOOTSTRAP, "group.id": f"it-reader-{uuid.uuid4()}"})
    try:
        return sum(consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1] for p in range(3))
    finally:
        consumer.close()


def lag(group: str, topics: list[str]) -> int:
    """How many records of `topics` the group has not committed yet, summed over the partitions.

    The committed offsets are fetched before the high watermarks, so 0 means that every record on
    the topics at that moment had been handled (its mails sent, its events written) before its
    offset was committed: the pipeline's own signal that it has nothing more in hand."""
    consumer = Consumer({"bootstrap.servers": BOOTSTRAP, "group.id": group, "enable.auto.commit": False})
    try:
        committed = consumer.committed([TopicPartition(t, p) for t in topics for p in range(3)], timeout=10)
        behind = 0
        for tp in committed:
            high = consumer.get_watermark_offsets(TopicPartition(tp.topic, tp.partition), timeout=10)[1]
            behind += max(high - max(tp.offset, 0), 0)
        return behind
    finally:
        consumer.close()


def wait_for_drained(group: str, topics: list[str], timeout: float = 45.0) -> None:
    """Waits until `group` has committed every record of `topics` (consumer lag 0)."""
    wait_for(f"group {group} to commit every record of {topics}", lambda: lag(group, topics) == 0, timeout)


def create_topics() -> dict[str, str]:
    """Private copies of the three topics (and the two DLQs) with a unique prefix, like `up` makes them."""
    suffix = uuid.uuid4().hex[:8]
    names = {base: f"it-{suffix}-{base}" for base in ("user-events", "order-events", "notification-events")}
    admin = AdminClient({"bootstrap.servers": BOOTSTRAP})
    futures = admin.create_topics(
        [
            NewTopic(
                t,
                num_partitions=3,
                replication_factor=1,
                config={"max.message.bytes": str(TOPIC_MAX_MESSAGE_BYTES)},
            )
            for t in all_topics(names)
        ]
    )
    for future in futures.values():
        future.result(timeout=30)
    return names


def all_topics(names: dict[str, str]) -> list[str]:
    return [*names.values(), f"{names['user-events']}.dlq", f"{names['order-events']}.dlq"]


def delete_topics(names: dict[str, str]) -> None:
    admin = AdminClient({"bootstrap.servers": BOOTSTRAP})
    for future in admin.delete_topics(all_topics(names)).values():
        future.result(timeout=30)


def headers_of_message(message: Message) -> dict[str, str]:
    raw = message.headers() or []
    pairs = raw.items() if isinstance(raw, dict) else raw
    return {name: value.decode() if isinstance(value, bytes) else str(value or "") for name, value in pairs}
