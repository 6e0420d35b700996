"""GET /api/notifications?user_id=: what this service sent to one user."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from notification.api.deps import RuntimeDep
from notification.api.models import Notifications, SentNotificationOut

router = APIRouter(prefix="/api", tags=["notifications"])


@router.get("/notifications", response_model=Notifications)
async def list_notifications(runtime: RuntimeDep, user_id: Annotated[str, Query(min_length=1)]) -> Notifications:
    """The notifications sent to a user, oldest first."""
    sent = await runtime.database.sent_to_user(user_id)
    return Notifications(
        user_id=user_id,
        notifications=[
            SentNotificationOut(
                trigger_event_id=s.trigger_event_id,
                notification_type=s.notification_type.value,
                recipient=s.recipient,
                subject=s.subject,
                order_id=s.order_id,
                email_event_id=s.email_event_id,
                sent_at=s.sent_at,
            )
            for s in sent
        ],
    )
