"""Domain exceptions: the consumer maps each to what happens to the record."""

from __future__ import annotations


class NotificationError(Exception):
    """Base of the domain's exceptions."""


class UserNotKnownYet(NotificationError):
    """An order names a user whose sign-up has not reached us yet (it travels on another topic)."""

    def __init__(self, user_id: str) -> None:
        super().__init__(f"user {user_id} is not in the directory yet")
        self.user_id = user_id


class DeliveryFailed(NotificationError):
    """The SMTP server could not take the e-mail, after every try."""


class SendClaimedElsewhere(DeliveryFailed):
    """Another instance of the group is sending this notification right now (a partition just moved):
    the record waits like one whose delivery failed and finds the notification sent when it is retried."""
