"""Kafka side of the service: the consumer loop, routing by ce_type, the DLQ, the producer, the outbox relay."""
