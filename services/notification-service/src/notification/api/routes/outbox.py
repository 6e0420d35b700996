"""GET /api/outbox: what the SMTP sink received."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter

from notification.api.deps import SettingsDep
from notification.api.models import Outbox, OutboxMail
from notification.smtp_sink.outbox import read_outbox

router = APIRouter(prefix="/api", tags=["outbox"])


@router.get("/outbox", response_model=Outbox)
async def list_outbox(settings: SettingsDep) -> Outbox:
    """Every e-mail the SMTP sink received, oldest first."""
    mails = await asyncio.to_thread(read_outbox, settings.smtp_sink_maildir)
    return Outbox(
        count=len(mails),
        messages=[
            OutboxMail(
                message_id=mail.message_id,
                sender=mail.sender,
                to=list(mail.recipients),
                subject=mail.subject,
                date=mail.date,
                received_at=mail.received_at,
                text=mail.text,
                correlation_id=mail.correlation_id,
            )
            for mail in mails
        ],
    )
