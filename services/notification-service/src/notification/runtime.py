"""The objects the app runs with, built by the lifespan and shared with the routes via app.state."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Protocol

from opentelemetry.trace import Tracer

from notification.cloudevents import Trigger
from notification.config import Settings
from notification.kafka.consumer import EventConsumer, HandlingRetry
from notification.kafka.dispatcher import DeliveryRetry, Dispatcher, Route
from notification.kafka.outbox_relay import OutboxRelay
from notification.kafka.publisher import Publisher
from notification.kafka.records import InboundRecord
from notification.mail.smtp import SmtpMailer
from notification.metrics import Metrics
from notification.notifications.service import NotificationService
from notification.notifications.templates import TemplateRenderer
from notification.sms.local import LocalSmsProvider
from notification.storage.database import Database
from notification.tracing import INSTRUMENTATION, tracer_provider
from polyglot.events.v1 import order_events_pb2 as order_events
from polyglot.events.v1 import user_events_pb2 as user_events

logger = logging.getLogger(__name__)


class BrokerPublisher(Publisher, Protocol):
    """A publisher that can also tell whether the broker answers (for /health)."""

    async def ping(self, timeout: float = 3.0) -> None: ...


async def _ignore(_event: object, _trigger: object) -> None:
    """Known types that need no notification (a payment's outcome shows in the order's own events)."""


class EventHandlers(Protocol):
    """The handlers the routes call: NotificationService, or the contract probe's recorder."""

    async def on_user_signup(self, event: user_events.UserSignupEvent, trigger: Trigger) -> None: ...
    async def on_user_updated(self, event: user_events.UserUpdatedEvent, trigger: Trigger) -> None: ...
    async def on_order_created(self, event: order_events.OrderCreatedEvent, trigger: Trigger) -> None: ...
    async def on_order_shipped(self, event: order_events.OrderShippedEvent, trigger: Trigger) -> None: ...
    async def on_order_cancelled(self, event: order_events.OrderCancelledEvent, trigger: Trigger) -> None: ...


def build_routes(handlers: EventHandlers) -> dict[str, Route]:
    """ce_type -> (message type, handler): the only place that knows which types we read."""
    return {
        user_events.UserSignupEvent.DESCRIPTOR.full_name: Route(user_events.UserSignupEvent, handlers.on_user_signup),
        user_events.UserUpdatedEvent.DESCRIPTOR.full_name: Route(
            user_events.UserUpdatedEvent, handlers.on_user_updated
        ),
        order_events.OrderCreatedEvent.DESCRIPTOR.full_name: Route(
            order_events.OrderCreatedEvent, handlers.on_order_created
        ),
        order_events.PaymentProcessedEvent.DESCRIPTOR.full_name: Route(order_events.PaymentProcessedEvent, _ignore),
        order_events.OrderShippedEvent.DESCRIPTOR.full_name: Route(
            order_events.OrderShippedEvent, handlers.on_order_shipped
        ),
        order_events.OrderCancelledEvent.DESCRIPTOR.full_name: Route(
            order_events.OrderCancelledEvent, handlers.on_order_cancelled
        ),
    }


@dataclass
class Runtime:
    settings: Settings
    database: Database
    publisher: BrokerPublisher
    mailer: SmtpMailer
    service: NotificationService
    dispatcher: Dispatcher
    relay: OutboxRelay
    metrics: Metrics
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    consumer_task: asyncio.Task[None] | None = None
    liveness_task: asyncio.Task[None] | None = None

    @classmethod
    def build(
        cls, settings: Settings, database: Database, publisher: BrokerPublisher, tracer: Tracer | None = None
    ) -> Runtime:
        metrics = Metrics()
        # Without a tracer (unit tests): an SDK provider that exports nothing, so spans still get ids.
        tracer = tracer or tracer_provider(settings.otel_service_name, settings.polyglot_instance, None).get_tracer(
            INSTRUMENTATION
        )
        mailer = SmtpMailer(
            host=settings.smtp_host,
            port=settings.smtp_port,
            sender=settings.mail_from,
            timeout=settings.smtp_timeout_seconds,
            attempts=settings.smtp_attempts,
            backoff_seconds=settings.smtp_backoff_seconds,
            on_retry=metrics.smtp_retry,
        )
        service = NotificationService(
            store=database,
            mailer=mailer,
            sms=LocalSmsProvider(settings.sms_outbox_path),
            renderer=TemplateRenderer(),
            service_name=settings.service_name,
            service_version=settings.service_version,
            events_topic=settings.notification_events_topic,
            counter=metrics,
            tracer=tracer,
        )
        dispatcher = Dispatcher(
            routes=build_routes(service),
            publisher=publisher,
            parking=database,
            group=settings.consumer_group,
            user_events_topic=settings.user_events_topic,
            unknown_user_wait=timedelta(seconds=settings.unknown_user_wait_seconds),
            delivery_retry=DeliveryRetry(
                budget=timedelta(seconds=settings.delivery_retry_budget_seconds),
                base=timedelta(seconds=settings.delivery_retry_base_seconds),
                longest=timedelta(seconds=settings.delivery_retry_max_seconds),
            ),
            on_dead_letter=metrics.dead_letter,
            tracer=tracer,
        )
        relay = OutboxRelay(database, publisher)
        return cls(settings, database, publisher, mailer, service, dispatcher, relay, metrics)

    async def process(self, record: InboundRecord) -> None:
        """One consumed record: route it, then publish what it queued, before its offset is stored."""
        await self.dispatcher.handle(record)
        await self.relay.flush()

    async def start(self, *, consume: bool) -> None:
        # Alive before the first claim: a row left dead by this owner's last clean shutdown would
        # otherwise let another instance take over a claim this one has just made.
        await self.database.beat()
        self.liveness_task = asyncio.create_task(self._supervise("liveness", self._keep_alive()), name="liveness")
        if consume:
            consumer = EventConsumer(
                bootstrap_servers=self.settings.kafka_bootstrap_servers,
                group=self.settings.consumer_group,
                client_id=self.settings.polyglot_instance,
                topics=(self.settings.user_events_topic, self.settings.order_events_topic),
                handle=self.dispatcher.handle,
                after_batch=self._publish_outbox,
                batch_size=self.settings.consume_batch_size,
                dead_letter=self.dispatcher.dead_letter_exhausted,
                on_handled=self._handled,
                on_given_up=self.metrics.given_up,
                on_assignment=self.metrics.assigned,
                retry=HandlingRetry(attempts=self.settings.record_attempts),
            )
            self.consumer_task = asyncio.create_task(
                self._supervise("consumer", consumer.run(self.stop)), name="consumer"
            )
            self.tasks.append(self.consumer_task)
        self.tasks.append(asyncio.create_task(self._supervise("retry-timer", self._retry_timer()), name="retry-timer"))

    async def _publish_outbox(self) -> None:
        """After each consumed batch: its events go out now, not at the next round of the timer."""
        await self.relay.flush()

    def _handled(self, topic: str, partition: int, behind: int) -> None:
        self.metrics.consumed(topic)
        self.metrics.lag(topic, partition, behind)

    @property
    def consumer_running(self) -> bool | None:
        """None when this runtime was started without a consumer (unit tests)."""
        return None if self.consumer_task is None else not self.consumer_task.done()

    async def _supervise(self, name: str, work: object) -> None:
        try:
            assert asyncio.iscoroutine(work)
            await work
        except Exception as error:
            logger.exception("background task died", extra={"task": name, "err": str(error)})

    async def _retry_timer(self) -> None:
        """Offers parked records again and republishes the outbox left by a crash or a broker outage."""
        interval = self.settings.parked_retry_interval_seconds
        while not self.stop.is_set():
            try:
                await self.dispatcher.retry_parked()
                await self.relay.flush()
            except Exception as error:
                logger.warning("retry round failed", extra={"err": str(error)})
            try:
                await asyncio.wait_for(self.stop.wait(), timeout=interval)
            except TimeoutError:
                continue

    async def _keep_alive(self) -> None:
        """Renews this instance's liveness row until the shutdown cancels it, after the last send."""
        interval = self.settings.liveness_interval_seconds
        while True:
            await asyncio.sleep(interval)
            try:
                await self.database.beat()
            except Exception as error:
                # A missed beat or two is what the window is for; the next one tries again.
                logger.warning("liveness beat failed", extra={"err": str(error)})

    async def shutdown(self) -> None:
        self.stop.set()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        await self.mailer.close()
        # Beats stop only now that the consumer and the relay have finished: this instance's last send
        # is over, so its claims and outbox leases may go to the others at once.
        if self.liveness_task is not None:
            self.liveness_task.cancel()
            await asyncio.gather(self.liveness_task, return_exceptions=True)
            try:
                await self.database.leave()
            except Exception as error:
                # The others then wait out the liveness window instead: seconds, not the lease.
                logger.warning("could not mark this instance stopped", extra={"err": str(error)})
