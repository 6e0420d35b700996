"""The record envelope of the contract: CloudEvents headers (Kafka binding, binary mode) and trace context.

Pure data and functions, no Kafka client: the domain and the storage adapter use these types too.
"""

from __future__ import annotations

import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from google.protobuf.message import Message

SPEC_VERSION = "1.0"
CONTENT_TYPE = "application/protobuf"

H_SPECVERSION = "ce_specversion"
H_ID = "ce_id"
H_SOURCE = "ce_source"
H_TYPE = "ce_type"
H_TIME = "ce_time"
H_CONTENT_TYPE = "content-type"
H_CORRELATION = "ce_correlationid"
H_CAUSATION = "ce_causationid"
H_TRACEPARENT = "traceparent"

# The CloudEvents required attributes: a record without one of them is not an event we can handle.
REQUIRED_HEADERS = (H_SPECVERSION, H_ID, H_SOURCE, H_TYPE)

_TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")

Headers = tuple[tuple[str, bytes], ...]


def rfc3339(moment: datetime) -> str:
    """RFC 3339 in UTC with a Z, milliseconds kept (e.g. 2026-11-25T08:49:06.371Z)."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def continue_trace(parent: str) -> str:
    """A traceparent for a new span in the parent's trace, or in a new trace when the parent is unusable."""
    match = _TRACEPARENT.match(parent.strip().lower())
    trace_id = match.group(1) if match and match.group(1) != "0" * 32 else secrets.token_hex(16)
    return f"00-{trace_id}-{secrets.token_hex(8)}-01"


@dataclass(frozen=True, slots=True)
class Trigger:
    """What a produced event inherits from the event that caused it."""

    event_id: str
    ce_type: str
    correlation_id: str
    traceparent: str


@dataclass(frozen=True, slots=True)
class OutgoingRecord:
    """A record ready for the producer: topic, key, value and headers."""

    topic: str
    key: bytes | None
    value: bytes
    headers: Headers


def new_event_id() -> str:
    return str(uuid.uuid4())


def event_record(
    *,
    topic: str,
    key: str,
    message: Message,
    event_id: str,
    source_service: str,
    time: datetime,
    cause: Trigger,
    traceparent: str = "",
) -> OutgoingRecord:
    """The record for an event caused by `cause`: same correlation id, causation id = the cause's id.
    `traceparent` is the producer span's; without one, a new span id in the cause's trace."""
    headers: Headers = (
        (H_SPECVERSION, SPEC_VERSION.encode()),
        (H_ID, event_id.encode()),
        (H_SOURCE, f"/{source_service}".encode()),
        (H_TYPE, message.DESCRIPTOR.full_name.encode()),
        (H_TIME, rfc3339(time).encode()),
        (H_CONTENT_TYPE, CONTENT_TYPE.encode()),
        (H_CORRELATION, cause.correlation_id.encode()),
        (H_CAUSATION, cause.event_id.encode()),
        (H_TRACEPARENT, (traceparent or continue_trace(cause.traceparent)).encode()),
    )
    return OutgoingRecord(topic=topic, key=key.encode(), value=message.SerializeToString(), headers=headers)
