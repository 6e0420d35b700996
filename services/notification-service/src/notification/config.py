"""Settings of notification-service, read once from the environment at start-up."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from notification.topics import NOTIFICATION_EVENTS, ORDER_EVENTS, USER_EVENTS

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class Settings(BaseSettings):
    """The shared env vocabulary (KAFKA_BOOTSTRAP_SERVERS, HTTP_PORT, LOG_LEVEL, DATA_DIR) plus our own."""

    model_config = SettingsConfigDict(env_ignore_empty=True, extra="ignore", frozen=True)

    service_name: str = "notification-service"
    service_version: str = "0.1.0"

    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    consumer_group: str = "notification-service"
    # The contract's topic names; overridable so that integration tests can run on private topics.
    user_events_topic: str = USER_EVENTS
    order_events_topic: str = ORDER_EVENTS
    notification_events_topic: str = NOTIFICATION_EVENTS
    http_host: str = "127.0.0.1"
    http_port: int = Field(default=8000, ge=1, le=65535)
    log_level: LogLevel = "INFO"
    data_dir: Path = Path(".polyglot/data")
    # Where the instances of one consumer group keep their common database (users, sent-log, claims,
    # parked records, outbox): partitions move between instances, so these must be the group's.
    # Unset: DATA_DIR (one instance). The CLI sets it to .polyglot/data/notification-service-shared.
    shared_data_dir: Path | None = None
    # This instance's name (the CLI sets it on instances 2..N), the owner of its claims and leases.
    polyglot_instance: str = "notification-service"
    # How long another instance's claim on a send (or lease on an outbox event) holds, while that instance
    # is alive, before it is taken over: longer than a send with all its tries (SMTP_ATTEMPTS x
    # SMTP_TIMEOUT_SECONDS + backoff).
    claim_lease_seconds: float = Field(default=120.0, gt=0)
    # The lease holds only while its owner is alive: every instance renews its liveness row this often,
    # and one renewal keeps it alive for the window. A killed instance's sends are taken over once the
    # window has run out; the window spans several missed renewals, so that an instance slowed down by a
    # loaded machine is not taken for dead (a stall of the whole process longer than the window is:
    # storage/database.py, Database.beat).
    liveness_interval_seconds: float = Field(default=2.0, gt=0)
    liveness_window_seconds: float = Field(default=10.0, gt=0)

    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(default=2525, ge=1, le=65535)
    smtp_timeout_seconds: float = Field(default=10.0, gt=0)
    mail_from: str = "Kafka Polyglot <no-reply@polyglot.example>"

    # An order may arrive before its user's sign-up (another topic): it is parked and retried
    # this long before it goes to the DLQ with reason retries-exhausted.
    unknown_user_wait_seconds: float = Field(default=120.0, gt=0)
    parked_retry_interval_seconds: float = Field(default=2.0, gt=0)
    # Tries to send one e-mail at once (SMTP down or refusing), kept short: the record is then parked
    # and retried with backoff within the budget, while other users' records go on; after the budget
    # it goes to the DLQ as retries-exhausted.
    smtp_attempts: int = Field(default=3, ge=1)
    smtp_backoff_seconds: float = Field(default=0.2, ge=0)
    delivery_retry_budget_seconds: float = Field(default=600.0, gt=0)
    delivery_retry_base_seconds: float = Field(default=2.0, gt=0)
    delivery_retry_max_seconds: float = Field(default=60.0, gt=0)

    # Records taken per consume call and handled as one batch (keys side by side, one outbox flush
    # and one offset store per batch). Large enough to amortise the per-batch work at 200 sign-ups/s,
    # small enough that one batch's handling (its mails go out one at a time) stays well under a second.
    consume_batch_size: int = Field(default=100, ge=1)

    # A record whose handling raised (DLQ or database not writable) is tried this often, with
    # backoff doubling from 0.5 s to 8 s, then logged at ERROR, counted and skipped.
    record_attempts: int = Field(default=5, ge=1)

    # Where spans go (Zipkin's v2 JSON intake, infra/zipkin/README.md); `off` exports none.
    zipkin_endpoint: str | None = "http://127.0.0.1:9411/api/v2/spans"
    otel_service_name: str = "notification-service"

    @model_validator(mode="after")
    def _window_spans_renewals(self) -> Settings:
        if self.liveness_window_seconds <= 2 * self.liveness_interval_seconds:
            raise ValueError("LIVENESS_WINDOW_SECONDS must be more than twice LIVENESS_INTERVAL_SECONDS")
        return self

    @field_validator("zipkin_endpoint", mode="before")
    @classmethod
    def _zipkin_off(cls, value: object) -> object:
        return None if isinstance(value, str) and value.strip().lower() in ("", "off", "none") else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_log_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @property
    def database_path(self) -> Path:
        return (self.shared_data_dir or self.data_dir) / "notification-service.sqlite3"

    @property
    def sms_outbox_path(self) -> Path:
        """Where the local SMS provider records the messages it was given."""
        return self.data_dir / "sms-outbox.jsonl"
