package dev.polyglot.user.events;

/** The broker did not acknowledge an event in time, or refused it. */
public class EventPublishException extends RuntimeException {

	public EventPublishException(String message, Throwable cause) {
		super(message, cause);
	}

}
