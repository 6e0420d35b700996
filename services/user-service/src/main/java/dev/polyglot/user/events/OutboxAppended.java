package dev.polyglot.user.events;

/**
 * Told to the application when an event was written to the outbox; the relay reacts after
 * the transaction committed, so a committed event goes out without waiting for the next
 * poll.
 *
 * @param eventId the event's id
 */
record OutboxAppended(String eventId) {
}
