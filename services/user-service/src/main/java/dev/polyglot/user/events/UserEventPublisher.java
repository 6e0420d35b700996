package dev.polyglot.user.events;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.google.protobuf.Message;
import dev.polyglot.user.system.UserServiceProperties;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import polyglot.common.v1.Metadata.EventMetadata;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes user events on {@code user-events}, keyed by user id, and returns only once the
 * broker has acknowledged the record (acks=all, idempotent producer), so a caller never
 * reports an event that was not written.
 */
@Component
public class UserEventPublisher {

	private static final Logger log = LoggerFactory.getLogger(UserEventPublisher.class);

	private final KafkaTemplate<String, byte[]> kafka;

	private final UserServiceProperties properties;

	public UserEventPublisher(KafkaTemplate<String, byte[]> kafka, UserServiceProperties properties) {
		this.kafka = kafka;
		this.properties = properties;
	}

	/**
	 * Publishes one event and waits for its acknowledgement.
	 * @param userId the record key
	 * @param event the event
	 * @param metadata the event's metadata (the same as inside the event)
	 * @param traceparent the W3C trace context of the publication
	 * @return where the broker stored the record
	 * @throws EventPublishException when the broker did not acknowledge in time
	 */
	public RecordMetadata publish(String userId, Message event, EventMetadata metadata, String traceparent) {
		String topic = this.properties.topics().userEvents();
		ProducerRecord<String, byte[]> record = CloudEventRecords.toRecord(topic, userId, event, metadata,
				traceparent);
		try {
			RecordMetadata stored = this.kafka.send(record)
				.get(this.properties.publishTimeout().toMillis(), TimeUnit.MILLISECONDS)
				.getRecordMetadata();
			log.atInfo()
				.setMessage("event published")
				.addKeyValue("topic", stored.topic())
				.addKeyValue("partition", stored.partition())
				.addKeyValue("offset", stored.offset())
				.addKeyValue("event_id", metadata.getEventId())
				.addKeyValue("event_type", event.getDescriptorForType().getFullName())
				.log();
			return stored;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new EventPublishException("interrupted while publishing " + metadata.getEventId(), ex);
		}
		catch (ExecutionException | TimeoutException | KafkaException | org.springframework.kafka.KafkaException ex) {
			Throwable cause = (ex instanceof ExecutionException || ex.getCause() != null) ? ex.getCause() : ex;
			log.atError()
				.setMessage("event not published")
				.addKeyValue("topic", topic)
				.addKeyValue("event_id", metadata.getEventId())
				.addKeyValue("err", String.valueOf(cause))
				.log();
			throw new EventPublishException("the broker did not acknowledge event " + metadata.getEventId(), cause);
		}
	}

}
