"""kill -9 in the send path, and two instances in one group: what reaches the real SMTP sink.

The service runs as its own process (`python -m notification`) on the real broker, against the
real sink's handler, which holds the first SMTP session at a chosen step so that the kill lands
exactly there. Deselected by default; `pytest -m integration`.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from confluent_kafka import Consumer, Producer, TopicPartition

from notification.kafka.records import InboundRecord
from tests.integration.broker import (
    BOOTSTRAP,
    end_offsets,
    headers_of_message,
    read_all,
    wait_for,
    wait_for_drained,
)
from tests.integration.service_process import HoldingSink, ServiceProcess
from tests.smtp_sink.outbox import ReceivedMail, read_outbox
from tests.support import SinkThread, signup, signup_record

pytestmark = pytest.mark.integration


class Stack:
    """The sink, the group's shared database dir and a way to start instances of the service."""

    def __init__(self, tmp_path: Path, topics: dict[str, str], sink: SinkThread) -> None:
        self.tmp_path = tmp_path
        self.topics = topics
        self.sink = sink
        self.group = f"notification-service-it-{uuid.uuid4().hex[:8]}"
        self.instances: list[ServiceProcess] = []

    def instance(self, name: str) -> ServiceProcess:
        """A process of instance `name` (the same name again is that instance restarted, same data dir)."""
        service = ServiceProcess(
            instance=name,
            topics=self.topics,
            group=self.group,
            data_dir=self.tmp_path / name,
            shared_dir=self.tmp_path / "shared",
            smtp_port=self.sink.port,
            log=self.tmp_path / f"{name}.log",
        )
        self.instances.append(service)
        return service

    def produce(self, records: list[InboundRecord]) -> None:
        producer = Producer({"bootstrap.servers": BOOTSTRAP})
        for record in records:
            producer.produce(
                self.topics["user-events"], value=record.value, key=record.key, headers=list(record.headers)
            )
        assert producer.flush(30) == 0

    def mails(self) -> list[ReceivedMail]:
        return read_outbox(self.sink.maildir)


@pytest.fixture
def holding(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[HoldingSink]:
    handler = HoldingSink(tmp_path / "sink" / "maildir", request.param)
    yield handler
    handler.release.set()


@pytest.fixture
def stack(tmp_path: Path, topics: dict[str, str], holding: HoldingSink) -> Iterator[Stack]:
    sink = SinkThread(tmp_path / "sink", handler=holding).start()
    running = Stack(tmp_path, topics, sink)
    try:
        yield running
    finally:
        holding.release.set()
        for service in running.instances:
            service.stop()
        sink.stop()


def welcome(n: int = 0) -> tuple[InboundRecord, str]:
    user_id = f"it-{uuid.uuid4()}"
    email = f"{user_id}@example.com"
    return signup_record(
        signup(user_id=user_id, email=email), event_id=str(uuid.uuid4()), correlation_id=f"c-{n}"
    ), email


@pytest.mark.parametrize("holding", ["data"], indirect=True)
def test_killed_after_the_server_took_the_mail_sends_it_once_more_and_no_more(
    stack: Stack, holding: HoldingSink
) -> None:
    record, email = welcome()
    service = stack.instance("notification-service").start()
    stack.produce([record])
    wait_for("the sink to hold the session after storing the mail", holding.holding.is_set)
    assert [m.recipients for m in stack.mails()] == [(email,)]

    service.kill9()
    holding.release.set()
    restarted = stack.instance("notification-service").start()

    # The documented window: the mail was with the server, the sent-log line was not written.
    wait_for("the resent mail", lambda: len(stack.mails()) == 2)
    [event] = read_all(stack.topics["notification-events"], 1)
    assert headers_of_message(event)["ce_causationid"] == record.header("ce_id")
    wait_for(
        "the redelivered record consumed",
        lambda: restarted.metric(f'notification_records_consumed_total{{topic="{stack.topics["user-events"]}"}}') == 1,
    )
    assert [m.recipients for m in stack.mails()] == [(email,), (email,)]
    assert end_offsets(stack.topics["notification-events"]) == 1


@pytest.mark.parametrize("holding", ["rcpt"], indirect=True)
def test_killed_before_the_server_took_the_mail_sends_it_exactly_once(stack: Stack, holding: HoldingSink) -> None:
    record, email = welcome()
    service = stack.instance("notification-service").start()
    stack.produce([record])
    wait_for("the sink to hold the session before the mail", holding.holding.is_set)

    service.kill9()
    holding.release.set()
    assert stack.mails() == []
    restarted = stack.instance("notification-service").start()

    [event] = read_all(stack.topics["notification-events"], 1)
    assert headers_of_message(event)["ce_causationid"] == record.header("ce_id")
    # The EmailSentEvent is written after the send: once it is out, this handling's mail is in. A second
    # handling (a redelivery) could still add one until the group has committed past the record.
    wait_for_drained(stack.group, [stack.topics["user-events"]])
    assert [m.recipients for m in stack.mails()] == [(email,)]
    assert restarted.metric('notification_sends_total{outcome="sent",type="welcome"}') == 1
    assert end_offsets(stack.topics["notification-events"]) == 1


@pytest.mark.parametrize("holding", ["none"], indirect=True)
def test_two_instances_in_one_group_send_nothing_twice_across_rebalances(stack: Stack) -> None:
    """Partitions move while records are in flight: when the second instance joins, and when the first
    leaves. With per-instance sent-logs the new owner of a partition would resend what the old one sent."""
    batches = [[welcome(n) for n in range(start, start + 20)] for start in (0, 20, 40)]
    first = stack.instance("notification-service").start()
    stack.produce([record for record, _ in batches[0]])
    second = stack.instance("notification-service-2").start()
    assigned = "notification_assigned_partitions"
    wait_for("the group to share the six partitions", lambda: 0 < second.metric(assigned) < 6, timeout=60)
    stack.produce([record for record, _ in batches[1]])
    wait_for(
        "the second instance to send from its partitions",
        lambda: second.metric('notification_sends_total{outcome="sent",type="welcome"}') > 0,
        timeout=60,
    )
    first.stop()
    wait_for("the second instance to hold all six partitions", lambda: second.metric(assigned) == 6, timeout=60)
    stack.produce([record for record, _ in batches[2]])

    expected = {email for batch in batches for _, email in batch}
    read_all(stack.topics["notification-events"], len(expected))
    wait_for("every mail", lambda: len(stack.mails()) >= len(expected))
    # Every mail is there; a record redelivered by a rebalance may still be in hand. Once the group has
    # committed past every record, each was handled: the mails and events counted below are all there are.
    wait_for_drained(stack.group, [stack.topics["user-events"]], timeout=60)
    events = read_all(stack.topics["notification-events"], end_offsets(stack.topics["notification-events"]))

    by_recipient = Counter(recipient for m in stack.mails() for recipient in m.recipients)
    assert set(by_recipient) == expected
    assert [r for r, count in by_recipient.items() if count > 1] == []
    causes = Counter(headers_of_message(e)["ce_causationid"] for e in events)
    assert len(causes) == len(expected) and max(causes.values()) == 1
    assert end_offsets(stack.topics["notification-events"]) == len(expected)
    # Both instances did part of the work (the first before it left).
    assert '"message": "notification sent"' in first.log.read_text()

    # The extreme of a partition moving with offsets not yet committed: the group's offsets back to
    # the start, and only the second instance left. What the first one sent must not go out again.
    second.stop()
    rewind(stack.group, stack.topics["user-events"])
    again = stack.instance("notification-service-2").start()
    consumed = f'notification_records_consumed_total{{topic="{stack.topics["user-events"]}"}}'
    wait_for("the replay of all 60 records", lambda: again.metric(consumed) == len(expected), timeout=60)
    assert again.metric('notification_sends_total{outcome="duplicate",type="welcome"}') == len(expected)
    assert len(stack.mails()) == len(expected)
    assert end_offsets(stack.topics["notification-events"]) == len(expected)


def rewind(group: str, topic: str) -> None:
    """Commits offset 0 on every partition for `group` (no member may be running)."""
    consumer = Consumer({"bootstrap.servers": BOOTSTRAP, "group.id": group, "enable.auto.commit": False})
    try:
        consumer.commit(offsets=[TopicPartition(topic, p, 0) for p in range(3)], asynchronous=False)
    finally:
        consumer.close()
