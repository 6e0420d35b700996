"""Domain types of notification-service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class NotificationType(StrEnum):
    """Kinds of notification; with the trigger's event id it is the key of the sent-log."""

    WELCOME = "welcome"
    ORDER_CONFIRMATION = "order_confirmation"
    SHIPPING_NOTIFICATION = "shipping_notification"
    ORDER_CANCELLED = "order_cancelled"
    EMAIL_CHANGED = "email_changed"
    SMS_ORDER_UPDATE = "sms_order_update"


@dataclass(frozen=True, slots=True)
class User:
    """One entry of the directory of users that this service keeps from user-events."""

    user_id: str
    email: str
    name: str
    phone_number: str


@dataclass(frozen=True, slots=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


@dataclass(frozen=True, slots=True)
class Email:
    """An e-mail ready for the mailer."""

    to_address: str
    to_name: str
    subject: str
    text: str
    html: str
    # Kept in the mail's headers so a received mail can be traced back to its chain.
    correlation_id: str
    trigger_event_id: str


@dataclass(frozen=True, slots=True)
class SentNotification:
    """A line of the sent-log."""

    trigger_event_id: str
    notification_type: NotificationType
    user_id: str
    recipient: str
    subject: str
    order_id: str
    # The id of the EmailSentEvent / SMSSentEvent published for it.
    email_event_id: str
    sent_at: datetime


@dataclass(frozen=True, slots=True)
class TextMessage:
    """An SMS ready for the SMS provider."""

    to_number: str
    text: str
    correlation_id: str
    trigger_event_id: str
