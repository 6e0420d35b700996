"""Pydantic models of the HTTP API's answers."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel

Status = Literal["UP", "DOWN"]


class CheckResult(BaseModel):
    status: Status
    detail: str | None = None


class Health(BaseModel):
    status: Status
    checks: dict[str, CheckResult]


class SentNotificationOut(BaseModel):
    trigger_event_id: str
    notification_type: str
    recipient: str
    subject: str
    order_id: str
    email_event_id: str
    sent_at: datetime


class Notifications(BaseModel):
    user_id: str
    notifications: list[SentNotificationOut]
