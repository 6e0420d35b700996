"""The app factory: `create_app(settings)` wires storage, Kafka, SMTP and the routes in its lifespan."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import timedelta

from fastapi import FastAPI
from opentelemetry.sdk.trace.export import SpanExporter

from notification.api.correlation import CorrelationIdMiddleware
from notification.api.problems import add_problem_handlers
from notification.api.routes import health, metrics, notifications
from notification.config import Settings
from notification.json_logging import configure_logging
from notification.kafka.producer import KafkaPublisher
from notification.runtime import BrokerPublisher, Runtime
from notification.storage.database import Database
from notification.tracing import INSTRUMENTATION, tracer_provider

logger = logging.getLogger(__name__)

PublisherFactory = Callable[[Settings], BrokerPublisher]


def _kafka_publisher(settings: Settings) -> BrokerPublisher:
    publisher = KafkaPublisher(settings.kafka_bootstrap_servers, client_id=settings.service_name)
    publisher.start()
    return publisher


def create_app(
    settings: Settings,
    *,
    publisher_factory: PublisherFactory = _kafka_publisher,
    consume: bool = True,
    span_exporter: SpanExporter | None = None,
) -> FastAPI:
    """`publisher_factory` and `consume=False` let unit tests run without a broker; `span_exporter`
    (tests) receives every span besides Zipkin (ZIPKIN_ENDPOINT, `off` for none)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        database = await Database.open(
            settings.database_path,
            owner=settings.polyglot_instance,
            lease=timedelta(seconds=settings.claim_lease_seconds),
            alive_for=timedelta(seconds=settings.liveness_window_seconds),
        )
        publisher = publisher_factory(settings)
        tracing = tracer_provider(
            settings.otel_service_name, settings.polyglot_instance, settings.zipkin_endpoint, span_exporter
        )
        runtime = Runtime.build(settings, database, publisher, tracing.get_tracer(INSTRUMENTATION))
        app.state.runtime = runtime
        await runtime.start(consume=consume)
        logger.info("notification-service started", extra={"port": settings.http_port})
        try:
            yield
        finally:
            await runtime.shutdown()
            if isinstance(publisher, KafkaPublisher):
                await publisher.close()
            await database.close()
            # Flushes the batched spans to Zipkin (a blocking HTTP post: off the event loop).
            await asyncio.to_thread(tracing.shutdown)
            logger.info("notification-service stopped")

    app = FastAPI(title="notification-service", version=settings.service_version, lifespan=lifespan)
    app.state.settings = settings
    app.add_middleware(CorrelationIdMiddleware)
    add_problem_handlers(app)
    app.include_router(health.router)
    app.include_router(notifications.router)
    app.include_router(metrics.router)
    return app


def main() -> None:
    """Reads the settings once, configures JSON logs and serves until SIGTERM."""
    import uvicorn

    settings = Settings()
    configure_logging(settings.service_name, settings.log_level)
    uvicorn.run(
        create_app(settings),
        host=settings.http_host,
        port=settings.http_port,
        log_config=None,
        access_log=False,
    )
