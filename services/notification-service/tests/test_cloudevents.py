"""The envelope: trace continuation and RFC 3339 times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from notification.cloudevents import continue_trace, rfc3339
from tests.support import TRACEPARENT


def test_continue_trace_keeps_trace_id_with_new_span() -> None:
    child = continue_trace(TRACEPARENT)
    version, trace_id, span_id, flags = child.split("-")
    assert (version, trace_id, flags) == ("00", "0af7651916cd43dd8448eb211c80319c", "01")
    assert span_id != "b7ad6b7169203331" and len(span_id) == 16


def test_continue_trace_starts_new_trace_from_garbage() -> None:
    for parent in ("", "nonsense", "00-" + "0" * 32 + "-b7ad6b7169203331-01"):
        version, trace_id, span_id, flags = continue_trace(parent).split("-")
        assert len(trace_id) == 32 and trace_id != "0" * 32 and len(span_id) == 16


def test_rfc3339_is_utc_with_z() -> None:
    moment = datetime(2026, 11, 25, 10, 30, 0, 123456, tzinfo=timezone(timedelta(hours=2)))
    assert rfc3339(moment) == "2026-11-25T08:30:00.123Z"
    assert rfc3339(datetime(2026, 1, 1, tzinfo=UTC)) == "2026-01-01T00:00:00.000Z"
