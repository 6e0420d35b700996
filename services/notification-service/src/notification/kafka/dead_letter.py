"""Dead-letter records: the original key, value and headers plus the contract's dlq.* headers."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from notification.cloudevents import OutgoingRecord, rfc3339
from notification.kafka.records import InboundRecord
from notification.topics import dead_letter_topic


class DeadLetterReason(StrEnum):
    DECODE_ERROR = "decode-error"
    UNKNOWN_TYPE = "unknown-type"
    MISSING_HEADER = "missing-header"
    HANDLER_ERROR = "handler-error"
    RETRIES_EXHAUSTED = "retries-exhausted"


def dead_letter(
    record: InboundRecord, reason: DeadLetterReason, error: str, group: str, now: datetime
) -> OutgoingRecord:
    one_line = " ".join(error.split())[:1000]
    extra = (
        ("dlq.reason", reason.value),
        ("dlq.error", one_line),
        ("dlq.topic", record.topic),
        ("dlq.partition", str(record.partition)),
        ("dlq.offset", str(record.offset)),
        ("dlq.group", group),
        ("dlq.time", rfc3339(now)),
    )
    return OutgoingRecord(
        topic=dead_letter_topic(record.topic),
        key=record.key,
        value=record.value,
        headers=record.headers + tuple((name, value.encode()) for name, value in extra),
    )
