"""Prometheus metrics of the service, in a registry of its own (one per app, so tests do not share)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge


class Metrics:
    """Sends by type and outcome, SMTP retries, DLQ records, records consumed, consumer lag."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self._notifications = Counter(
            "notification_sends",
            "Notifications by type and outcome (sent, duplicate: already in the sent-log, failed)",
            ["type", "outcome"],
            registry=self.registry,
        )
        self._smtp_retries = Counter(
            "notification_smtp_retries", "SMTP sends tried again after a failure", registry=self.registry
        )
        self._dead_letters = Counter(
            "notification_dead_letters", "Records sent to a DLQ topic", ["topic", "reason"], registry=self.registry
        )
        self._given_up = Counter(
            "notification_records_given_up",
            "Records dead-lettered as retries-exhausted after every try failed (their DLQ copy or events unwritable)",
            ["topic"],
            registry=self.registry,
        )
        self._consumed = Counter(
            "notification_records_consumed", "Records handled by the consumer", ["topic"], registry=self.registry
        )
        self._assigned = Gauge(
            "notification_assigned_partitions",
            "Input partitions this instance holds in the consumer group",
            registry=self.registry,
        )
        self._lag = Gauge(
            "notification_consumer_lag",
            "Records behind the end of each partition after the last record handled there",
            ["topic", "partition"],
            registry=self.registry,
        )

    def assigned(self, count: int) -> None:
        self._assigned.set(count)

    def notification(self, kind: str, outcome: str) -> None:
        self._notifications.labels(type=kind, outcome=outcome).inc()

    def smtp_retry(self) -> None:
        self._smtp_retries.inc()

    def dead_letter(self, topic: str, reason: str) -> None:
        self._dead_letters.labels(topic=topic, reason=reason).inc()

    def given_up(self, topic: str) -> None:
        self._given_up.labels(topic=topic).inc()

    def consumed(self, topic: str) -> None:
        self._consumed.labels(topic=topic).inc()

    def lag(self, topic: str, partition: int, behind: int) -> None:
        self._lag.labels(topic=topic, partition=str(partition)).set(max(behind, 0))
