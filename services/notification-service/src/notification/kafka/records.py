"""A consumed record, independent of the Kafka client so the routing can be tested without a broker."""

from __future__ import annotations

from dataclasses import dataclass

from notification.cloudevents import Headers


@dataclass(frozen=True, slots=True)
class InboundRecord:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    headers: Headers

    def header(self, name: str) -> str | None:
        """The last value of a header as text, or None when absent or not UTF-8."""
        for header_name, value in reversed(self.headers):
            if header_name == name:
                try:
                    return value.decode()
                except UnicodeDecodeError:
                    return None
        return None
