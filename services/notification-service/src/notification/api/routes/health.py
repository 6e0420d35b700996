"""GET /health: the broker, the SMTP server, the database and the consumer."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from notification.api.deps import RuntimeDep
from notification.api.models import CheckResult, Health

router = APIRouter(tags=["health"])

_TIMEOUT = 3.0


async def _check(probe: Awaitable[None]) -> CheckResult:
    try:
        await asyncio.wait_for(probe, timeout=_TIMEOUT + 1)
    except Exception as error:
        return CheckResult(status="DOWN", detail=f"{type(error).__name__}: {error}".strip(": "))
    return CheckResult(status="UP")


@router.get("/health", response_model=Health, responses={503: {"model": Health}})
async def health(runtime: RuntimeDep) -> JSONResponse:
    """UP when the broker, the SMTP server and the database answer and the consumer runs."""
    kafka, smtp, database = await asyncio.gather(
        _check(runtime.publisher.ping(_TIMEOUT)), _check(runtime.mailer.ping()), _check(runtime.database.ping())
    )
    checks = {"kafka": kafka, "smtp": smtp, "database": database}
    consumer_running = runtime.consumer_running
    if consumer_running is not None:
        checks["consumer"] = (
            CheckResult(status="UP")
            if consumer_running
            else CheckResult(status="DOWN", detail="the consumer task stopped; see the log")
        )
    up = all(check.status == "UP" for check in checks.values())
    body = Health(status="UP" if up else "DOWN", checks=checks)
    return JSONResponse(body.model_dump(exclude_none=True), status_code=200 if up else 503)
