"""Topic names of the contract that this service reads and writes."""

USER_EVENTS = "user-events"
ORDER_EVENTS = "order-events"
NOTIFICATION_EVENTS = "notification-events"


def dead_letter_topic(topic: str) -> str:
    return f"{topic}.dlq"
