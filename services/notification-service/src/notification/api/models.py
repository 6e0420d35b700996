"""Pydantic models of the HTTP API's answers."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["UP", "DOWN"]


class CheckResult(BaseModel):
    status: Status
    detail: str | None = None


class Health(BaseModel):
    status: Status
    checks: dict[str, CheckResult]


class OutboxMail(BaseModel):
    """One e-mail that the SMTP sink received."""

    model_config = ConfigDict(validate_by_name=True, validate_by_alias=True, serialize_by_alias=True)

    message_id: str
    sender: str = Field(alias="from")
    to: list[str]
    subject: str
    date: datetime | None
    received_at: datetime
    text: str
    correlation_id: str


class Outbox(BaseModel):
    count: int
    messages: list[OutboxMail]


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
