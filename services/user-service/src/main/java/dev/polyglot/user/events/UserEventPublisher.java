package dev.polyglot.user.events;

import java.time.Clock;

import com.google.protobuf.Message;
import dev.polyglot.user.system.UserServiceProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import polyglot.common.v1.Metadata.EventMetadata;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Publishes user events on {@code user-events}, keyed by user id, through the
 * transactional outbox: the event is written in the caller's transaction, so it exists if
 * and only if the change it reports was committed. {@link OutboxRelay} sends it to Kafka
 * afterwards.
 */
@Component
public class UserEventPublisher {

	private static final Logger log = LoggerFactory.getLogger(UserEventPublisher.class);

	private final OutboxRepository outbox;

	private final UserServiceProperties properties;

	private final ApplicationEventPublisher application;

	private final Clock clock;

	public UserEventPublisher(OutboxRepository outbox, UserServiceProperties properties,
			ApplicationEventPublisher application, Clock clock) {
		this.outbox = outbox;
		this.properties = properties;
		this.application = application;
		this.clock = clock;
	}

	/**
	 * Writes one event to the outbox of the current transaction.
	 * @param userId the record key
	 * @param event the event
	 * @param metadata the event's metadata (the same as inside the event)
	 * @param traceparent the W3C trace context of the publication
	 * @return the event as it will go on the wire
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public CloudEvent publish(String userId, Message event, EventMetadata metadata, String traceparent) {
		CloudEvent cloudEvent = CloudEvent.of(this.properties.topics().userEvents(), userId, event, metadata,
				traceparent);
		this.outbox.append(cloudEvent, this.clock.instant());
		this.application.publishEvent(new OutboxAppended(cloudEvent.id()));
		log.atDebug()
			.setMessage("event written to the outbox")
			.addKeyValue("event_id", cloudEvent.id())
			.addKeyValue("event_type", cloudEvent.type())
			.log();
		return cloudEvent;
	}

}
