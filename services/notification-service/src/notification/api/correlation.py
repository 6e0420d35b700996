"""X-Correlation-ID: kept from the request (a new UUID when absent) and echoed in the answer."""

from __future__ import annotations

import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADER = "x-correlation-id"


class CorrelationIdMiddleware:
    """Pure ASGI middleware, so it also covers answers made by exception handlers."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        given = next((v.decode() for k, v in scope["headers"] if k.decode().lower() == HEADER), "").strip()
        correlation_id = given or str(uuid.uuid4())
        scope.setdefault("state", {})["correlation_id"] = correlation_id

        async def send_with_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.append((b"x-correlation-id", correlation_id.encode()))
                message["headers"] = headers
            await send(message)

        await self._app(scope, receive, send_with_header)
