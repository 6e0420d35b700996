"""JSON-lines logging to stdout, configured once by the app factory or the sink's main."""

from __future__ import annotations

import logging
import sys
from typing import TextIO

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

from notification.tracing import TraceIdFilter


def configure_logging(service: str, level: str, stream: TextIO | None = None) -> None:
    """Routes every logger (ours, uvicorn's, aiosmtpd's) through one JSON formatter on `stream`
    (stdout unless given: the contract probe keeps stdout for its own lines)."""
    handler = logging.StreamHandler(stream or sys.stdout)
    handler.setFormatter(
        JsonFormatter(
            "{levelname}{name}{message}",
            style="{",
            rename_fields={"levelname": "level", "name": "logger"},
            static_fields={"service": service},
            timestamp="time",
            # uvicorn adds an ANSI-coloured copy of its message: noise in a JSON log.
            reserved_attrs=[*RESERVED_ATTRS, "color_message"],
        )
    )
    handler.addFilter(TraceIdFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # uvicorn installs its own handlers; make its loggers propagate to ours instead.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        uv_logger = logging.getLogger(name)
        uv_logger.handlers.clear()
        uv_logger.propagate = True
