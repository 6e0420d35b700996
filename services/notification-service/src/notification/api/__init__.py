"""HTTP API of notification-service."""
