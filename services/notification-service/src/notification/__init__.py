"""Kafka Polyglot notification-service."""
