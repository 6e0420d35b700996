"""What to send for which event, exactly once per (trigger event id, notification type).

Order of work for one notification: check the sent-log, render, send over SMTP, then write the
sent-log line and queue the EmailSentEvent in one transaction. A crash between the SMTP server's
acceptance and that commit is the only window in which a redelivered record sends again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Protocol

from google.protobuf.timestamp_pb2 import Timestamp

from notification.cloudevents import OutgoingRecord, Trigger, event_record, new_event_id
from notification.notifications.errors import UserNotKnownYet
from notification.notifications.models import (
    Email,
    NotificationType,
    RenderedEmail,
    SentNotification,
    User,
)
from notification.notifications.money import format_amount, to_decimal
from polyglot.common.v1.metadata_pb2 import EventMetadata
from polyglot.events.v1 import notification_events_pb2 as notification_events
from polyglot.events.v1 import order_events_pb2 as order_events
from polyglot.events.v1 import user_events_pb2 as user_events

logger = logging.getLogger(__name__)

_EMAIL_TYPES = {
    NotificationType.WELCOME: notification_events.EMAIL_TYPE_WELCOME,
    NotificationType.ORDER_CONFIRMATION: notification_events.EMAIL_TYPE_ORDER_CONFIRMATION,
}


class NotificationStore(Protocol):
    async def upsert_user(self, user: User) -> None: ...
    async def get_user(self, user_id: str) -> User | None: ...
    async def was_sent(self, trigger_event_id: str, kind: NotificationType) -> bool: ...
    async def record_sent(self, sent: SentNotification, event: OutgoingRecord) -> bool: ...


class Mailer(Protocol):
    async def send(self, email: Email) -> None: ...


class Renderer(Protocol):
    def render(self, kind: NotificationType, variables: Mapping[str, Any]) -> RenderedEmail: ...


def _greeting_name(user: User) -> str:
    """The name to greet; the address when the user gave no name."""
    return user.name.strip() or user.email


def _enum_label(enum_name: str, prefix: str) -> str:
    """SIGNUP_SOURCE_WEB -> web, ORDER_STATUS_PENDING -> pending."""
    return enum_name.removeprefix(prefix).lower().replace("_", " ")


class NotificationService:
    """Handles the decoded events that lead to notifications; knows nothing of Kafka or HTTP."""

    def __init__(
        self,
        *,
        store: NotificationStore,
        mailer: Mailer,
        renderer: Renderer,
        service_name: str,
        service_version: str,
        email_events_topic: str,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._store = store
        self._mailer = mailer
        self._renderer = renderer
        self._service_name = service_name
        self._email_events_topic = email_events_topic
        self._service_version = service_version
        self._clock = clock

    async def on_user_signup(self, event: user_events.UserSignupEvent, trigger: Trigger) -> None:
        user = User(user_id=event.user_id, email=event.email, name=event.name, phone_number=event.phone_number)
        await self._store.upsert_user(user)
        source = user_events.SignupSource.Name(event.source)
        variables = {
            "user_name": _greeting_name(user),
            "email": user.email,
            "signup_source": _enum_label(source, "SIGNUP_SOURCE_"),
        }
        await self._notify(trigger, NotificationType.WELCOME, user, variables, template_context={})

    async def on_user_updated(self, event: user_events.UserUpdatedEvent, trigger: Trigger) -> None:
        user = User(user_id=event.user_id, email=event.email, name=event.name, phone_number=event.phone_number)
        await self._store.upsert_user(user)

    async def on_order_created(self, event: order_events.OrderCreatedEvent, trigger: Trigger) -> None:
        user = await self._store.get_user(event.user_id)
        if user is None:
            raise UserNotKnownYet(event.user_id)
        currency = event.total_money.currency_code or event.currency or "USD"
        lines = []
        for item in event.items:
            unit_price = (
                to_decimal(item.unit_price_money)
                if item.HasField("unit_price_money")
                else Decimal(str(item.unit_price))
            )
            item_currency = item.unit_price_money.currency_code or currency
            lines.append(
                {
                    "product": item.product_name or item.product_id,
                    "quantity": item.quantity,
                    "unit_price": format_amount(unit_price, item_currency),
                    "line_total": format_amount(unit_price * item.quantity, item_currency),
                }
            )
        total = to_decimal(event.total_money) if event.HasField("total_money") else Decimal(str(event.total_amount))
        variables = {
            "user_name": _greeting_name(user),
            "order_id": event.order_id,
            "total_amount": format_amount(total, currency),
            "items": ", ".join(f"{line['quantity']}x {line['product']} at {line['unit_price']}" for line in lines),
            "order_status": _enum_label(order_events.OrderStatus.Name(event.status), "ORDER_STATUS_"),
        }
        await self._notify(
            trigger,
            NotificationType.ORDER_CONFIRMATION,
            user,
            variables,
            template_context={"lines": lines},
            order_id=event.order_id,
        )

    async def _notify(
        self,
        trigger: Trigger,
        kind: NotificationType,
        user: User,
        variables: Mapping[str, str],
        *,
        template_context: Mapping[str, Any],
        order_id: str = "",
    ) -> None:
        log = {"event_id": trigger.event_id, "correlation_id": trigger.correlation_id, "notification": kind.value}
        if await self._store.was_sent(trigger.event_id, kind):
            logger.info("notification already sent, skipping", extra=log)
            return
        rendered = self._renderer.render(kind, {**variables, **template_context})
        await self._mailer.send(
            Email(
                to_address=user.email,
                to_name=user.name,
                subject=rendered.subject,
                text=rendered.text,
                html=rendered.html,
                correlation_id=trigger.correlation_id,
                trigger_event_id=trigger.event_id,
            )
        )
        now = self._clock()
        email_event_id = new_event_id()
        record = self._email_sent_record(
            trigger, kind, user, variables, rendered.subject, order_id, email_event_id, now
        )
        sent = SentNotification(
            trigger_event_id=trigger.event_id,
            notification_type=kind,
            user_id=user.user_id,
            recipient=user.email,
            subject=rendered.subject,
            order_id=order_id,
            email_event_id=email_event_id,
            sent_at=now,
        )
        await self._store.record_sent(sent, record)
        logger.info("e-mail sent", extra={**log, "email_event_id": email_event_id})

    def _email_sent_record(
        self,
        trigger: Trigger,
        kind: NotificationType,
        user: User,
        variables: Mapping[str, str],
        subject: str,
        order_id: str,
        event_id: str,
        now: datetime,
    ) -> OutgoingRecord:
        timestamp = Timestamp()
        timestamp.FromDatetime(now)
        event = notification_events.EmailSentEvent(
            user_id=user.user_id,
            email_address=user.email,
            template_id=kind.value,
            email_type=_EMAIL_TYPES[kind],
            template_variables=dict(variables),
            sent_timestamp=timestamp,
            event_metadata=EventMetadata(
                event_id=event_id,
                correlation_id=trigger.correlation_id,
                causation_id=trigger.event_id,
                source_service=self._service_name,
                source_version=self._service_version,
                timestamp=timestamp,
            ),
            subject=subject,
            order_id=order_id,
        )
        return event_record(
            topic=self._email_events_topic,
            key=user.user_id,
            message=event,
            event_id=event_id,
            source_service=self._service_name,
            time=now,
            cause=trigger,
        )
