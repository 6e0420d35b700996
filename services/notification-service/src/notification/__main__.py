"""`python -m notification`: runs notification-service."""

from notification.main import main

main()
