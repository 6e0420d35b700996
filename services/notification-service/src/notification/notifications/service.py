"""What to send for which event, exactly once per (trigger event id, notification type).

Order of work for one notification: check the sent-log, render, send (SMTP or the SMS provider),
then write the sent-log line and queue the EmailSentEvent / SMSSentEvent in one transaction. A
crash between the server's acceptance and that commit is the only window in which a redelivered
record sends again. Records of different users are handled concurrently, but that window is held
by one notification at a time (`_handover`): a SIGKILL resends at most the one mail in it. Claims,
rendering and the user directory, the rest of the work, run side by side.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Protocol

from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp
from opentelemetry import trace
from opentelemetry.trace import SpanKind, Tracer

from notification.cloudevents import OutgoingRecord, Trigger, event_record, new_event_id
from notification.notifications.errors import SendClaimedElsewhere, UserNotKnownYet
from notification.notifications.models import (
    Email,
    NotificationType,
    RenderedEmail,
    SentNotification,
    TextMessage,
    User,
)
from notification.notifications.money import format_amount, to_decimal
from notification.storage.database import Claim
from notification.tracing import current_traceparent
from polyglot.common.v1.metadata_pb2 import EventMetadata
from polyglot.events.v1 import notification_events_pb2 as notification_events
from polyglot.events.v1 import order_events_pb2 as order_events
from polyglot.events.v1 import user_events_pb2 as user_events

logger = logging.getLogger(__name__)

_EMAIL_TYPES = {
    NotificationType.WELCOME: notification_events.EMAIL_TYPE_WELCOME,
    NotificationType.ORDER_CONFIRMATION: notification_events.EMAIL_TYPE_ORDER_CONFIRMATION,
    NotificationType.SHIPPING_NOTIFICATION: notification_events.EMAIL_TYPE_SHIPPING_NOTIFICATION,
    NotificationType.ORDER_CANCELLED: notification_events.EMAIL_TYPE_ORDER_CANCELLED,
    NotificationType.EMAIL_CHANGED: notification_events.EMAIL_TYPE_EMAIL_CHANGED,
}


class NotificationStore(Protocol):
    async def upsert_user(self, user: User) -> None: ...
    async def get_user(self, user_id: str) -> User | None: ...
    async def claim(self, trigger_event_id: str, kind: NotificationType) -> Claim: ...
    async def release(self, trigger_event_id: str, kind: NotificationType) -> None: ...
    async def record_sent(self, sent: SentNotification, event: OutgoingRecord) -> bool: ...


class Mailer(Protocol):
    async def send(self, email: Email) -> None: ...


class SmsProvider(Protocol):
    async def send(self, message: TextMessage) -> None: ...


class SendCounter(Protocol):
    def notification(self, kind: str, outcome: str) -> None: ...


class Renderer(Protocol):
    def render(self, kind: NotificationType, variables: Mapping[str, Any]) -> RenderedEmail: ...
    def render_text(self, kind: NotificationType, variables: Mapping[str, Any]) -> str: ...


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
        sms: SmsProvider,
        renderer: Renderer,
        service_name: str,
        service_version: str,
        events_topic: str,
        counter: SendCounter | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        tracer: Tracer | None = None,
    ) -> None:
        self._tracer = tracer or trace.get_tracer(__name__)
        self._counter = counter
        self._store = store
        self._mailer = mailer
        self._sms = sms
        self._renderer = renderer
        self._service_name = service_name
        self._service_version = service_version
        self._events_topic = events_topic
        self._clock = clock
        # Held from handing a notification over (SMTP, SMS provider) until its sent-log line is
        # committed: the only stretch in which a crash sends a notification twice, kept to one.
        self._handover = asyncio.Lock()

    # --- user-events ---

    async def on_user_signup(self, event: user_events.UserSignupEvent, trigger: Trigger) -> None:
        user = User(user_id=event.user_id, email=event.email, name=event.name, phone_number=event.phone_number)
        await self._store.upsert_user(user)
        variables = {
            "user_name": _greeting_name(user),
            "email": user.email,
            "signup_source": _enum_label(user_events.SignupSource.Name(event.source), "SIGNUP_SOURCE_"),
        }
        await self._email(trigger, NotificationType.WELCOME, user, variables)

    async def on_user_updated(self, event: user_events.UserUpdatedEvent, trigger: Trigger) -> None:
        user = User(user_id=event.user_id, email=event.email, name=event.name, phone_number=event.phone_number)
        await self._store.upsert_user(user)
        previous = event.previous_email.strip()
        if "email" not in event.updated_fields or not previous or previous == user.email:
            return
        variables = {"user_name": _greeting_name(user), "email": user.email, "previous_email": previous}
        # The notice goes to the address being replaced: its owner is who must hear of the change.
        await self._email(trigger, NotificationType.EMAIL_CHANGED, user, variables, to_address=previous)

    # --- order-events ---

    async def on_order_created(self, event: order_events.OrderCreatedEvent, trigger: Trigger) -> None:
        user = await self._known_user(event.user_id)
        currency = event.total_money.currency_code or event.currency or "USD"
        lines = []
        for item in event.items:
            if item.HasField("unit_price_money"):
                unit_price = to_decimal(item.unit_price_money)
            else:
                unit_price = Decimal(str(item.unit_price))
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
        await self._email(
            trigger,
            NotificationType.ORDER_CONFIRMATION,
            user,
            variables,
            template_context={"lines": lines},
            order_id=event.order_id,
        )

    async def on_order_shipped(self, event: order_events.OrderShippedEvent, trigger: Trigger) -> None:
        user = await self._known_user(event.user_id)
        variables = {
            "user_name": _greeting_name(user),
            "order_id": event.order_id,
            "carrier": event.carrier or "our carrier",
            "tracking_number": event.tracking_number,
        }
        await self._email(trigger, NotificationType.SHIPPING_NOTIFICATION, user, variables, order_id=event.order_id)
        if user.phone_number:
            await self._text(trigger, NotificationType.SMS_ORDER_UPDATE, user, variables, order_id=event.order_id)

    async def on_order_cancelled(self, event: order_events.OrderCancelledEvent, trigger: Trigger) -> None:
        user = await self._known_user(event.user_id)
        variables = {
            "user_name": _greeting_name(user),
            "order_id": event.order_id,
            "reason": event.reason or "not given",
        }
        await self._email(trigger, NotificationType.ORDER_CANCELLED, user, variables, order_id=event.order_id)

    # --- sending, once ---

    async def _known_user(self, user_id: str) -> User:
        user = await self._store.get_user(user_id)
        if user is None:
            raise UserNotKnownYet(user_id)
        return user

    async def _already_sent(self, trigger: Trigger, kind: NotificationType) -> bool:
        """False once this instance holds the claim to send; raises when another instance is sending it."""
        claim = await self._store.claim(trigger.event_id, kind)
        if claim is Claim.BUSY:
            raise SendClaimedElsewhere(f"{kind.value} for event {trigger.event_id} is being sent by another instance")
        if claim is Claim.SENT:
            self._count(kind, "duplicate")
            logger.info(
                "notification already sent, skipping",
                extra={"event_id": trigger.event_id, "correlation_id": trigger.correlation_id, "notification": kind},
            )
            return True
        return False

    async def _email(
        self,
        trigger: Trigger,
        kind: NotificationType,
        user: User,
        variables: Mapping[str, str],
        *,
        template_context: Mapping[str, Any] | None = None,
        order_id: str = "",
        to_address: str | None = None,
    ) -> None:
        if await self._already_sent(trigger, kind):
            return
        address = to_address or user.email
        rendered = self._renderer.render(kind, {**variables, **(template_context or {})})
        email = Email(
            to_address=address,
            to_name=user.name,
            subject=rendered.subject,
            text=rendered.text,
            html=rendered.html,
            correlation_id=trigger.correlation_id,
            trigger_event_id=trigger.event_id,
        )
        async with self._handover:
            await self._counted(trigger, kind, "smtp send", self._mailer.send(email))
            event_id = new_event_id()
            now = self._clock()
            event = notification_events.EmailSentEvent(
                user_id=user.user_id,
                email_address=address,
                template_id=kind.value,
                email_type=_EMAIL_TYPES[kind],
                template_variables=dict(variables),
                sent_timestamp=self._timestamp(now),
                event_metadata=self._metadata(trigger, event_id, now),
                subject=rendered.subject,
                order_id=order_id,
            )
            await self._record(trigger, kind, user, address, rendered.subject, order_id, event_id, now, event)

    async def _text(
        self,
        trigger: Trigger,
        kind: NotificationType,
        user: User,
        variables: Mapping[str, str],
        *,
        order_id: str = "",
    ) -> None:
        if await self._already_sent(trigger, kind):
            return
        text = self._renderer.render_text(kind, variables)
        message = TextMessage(
            to_number=user.phone_number,
            text=text,
            correlation_id=trigger.correlation_id,
            trigger_event_id=trigger.event_id,
        )
        async with self._handover:
            await self._counted(trigger, kind, "sms send", self._sms.send(message))
            event_id = new_event_id()
            now = self._clock()
            event = notification_events.SMSSentEvent(
                user_id=user.user_id,
                phone_number=user.phone_number,
                message_content=text,
                sms_type=notification_events.SMS_TYPE_ORDER_UPDATE,
                sent_timestamp=self._timestamp(now),
                event_metadata=self._metadata(trigger, event_id, now),
                order_id=order_id,
            )
            await self._record(trigger, kind, user, user.phone_number, text, order_id, event_id, now, event)

    async def _record(
        self,
        trigger: Trigger,
        kind: NotificationType,
        user: User,
        recipient: str,
        subject: str,
        order_id: str,
        event_id: str,
        now: datetime,
        event: Message,
    ) -> None:
        with self._tracer.start_as_current_span(
            f"{self._events_topic} publish",
            kind=SpanKind.PRODUCER,
            attributes={
                "messaging.system": "kafka",
                "messaging.operation.type": "send",
                "messaging.destination.name": self._events_topic,
                "messaging.kafka.message.key": user.user_id,
                "messaging.message.id": event_id,
            },
        ):
            record = event_record(
                topic=self._events_topic,
                key=user.user_id,
                message=event,
                event_id=event_id,
                source_service=self._service_name,
                time=now,
                cause=trigger,
                traceparent=current_traceparent(),
            )
            await self._queue(trigger, kind, user, recipient, subject, order_id, event_id, now, record)

    async def _queue(
        self,
        trigger: Trigger,
        kind: NotificationType,
        user: User,
        recipient: str,
        subject: str,
        order_id: str,
        event_id: str,
        now: datetime,
        record: OutgoingRecord,
    ) -> None:
        sent = SentNotification(
            trigger_event_id=trigger.event_id,
            notification_type=kind,
            user_id=user.user_id,
            recipient=recipient,
            subject=subject,
            order_id=order_id,
            email_event_id=event_id,
            sent_at=now,
        )
        await self._store.record_sent(sent, record)
        logger.info(
            "notification sent",
            extra={
                "event_id": trigger.event_id,
                "correlation_id": trigger.correlation_id,
                "notification": kind.value,
                "produced_event_id": event_id,
            },
        )

    def _count(self, kind: NotificationType, outcome: str) -> None:
        if self._counter is not None:
            self._counter.notification(kind.value, outcome)

    async def _counted(self, trigger: Trigger, kind: NotificationType, span: str, sending: Awaitable[None]) -> None:
        try:
            with self._tracer.start_as_current_span(
                span, kind=SpanKind.CLIENT, attributes={"notification.type": kind.value}
            ):
                await sending
        except Exception:
            self._count(kind, "failed")
            # Nothing reached the server: any instance may try again at once.
            await self._store.release(trigger.event_id, kind)
            raise
        self._count(kind, "sent")

    @staticmethod
    def _timestamp(now: datetime) -> Timestamp:
        timestamp = Timestamp()
        timestamp.FromDatetime(now)
        return timestamp

    def _metadata(self, trigger: Trigger, event_id: str, now: datetime) -> EventMetadata:
        return EventMetadata(
            event_id=event_id,
            correlation_id=trigger.correlation_id,
            causation_id=trigger.event_id,
            source_service=self._service_name,
            source_version=self._service_version,
            timestamp=self._timestamp(now),
        )
