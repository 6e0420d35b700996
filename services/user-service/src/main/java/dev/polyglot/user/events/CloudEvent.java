package dev.polyglot.user.events;

import java.time.Instant;
import java.time.format.DateTimeFormatter;

import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import polyglot.common.v1.Metadata.EventMetadata;

/**
 * One event as it goes on the wire: the record's topic and key, the CloudEvents
 * attributes that become its headers, and the protobuf bytes. This is also what an outbox
 * row holds.
 *
 * @param topic the topic
 * @param key the record key (a user id)
 * @param id {@code ce_id}, the event id
 * @param source {@code ce_source}, e.g. {@code /user-service}
 * @param type {@code ce_type}, the message's full protobuf name
 * @param time {@code ce_time}, RFC 3339
 * @param correlationId {@code ce_correlationid}
 * @param causationId {@code ce_causationid}, empty on a root event
 * @param traceparent the W3C trace context of the publication
 * @param data the protobuf message, binary
 */
public record CloudEvent(String topic, String key, String id, String source, String type, String time,
		String correlationId, String causationId, String traceparent, byte[] data) {

	/**
	 * The wire form of an event: every attribute comes from the event's own metadata, so
	 * the headers and {@code event_metadata} cannot disagree.
	 * @param topic the topic
	 * @param key the record key
	 * @param event the protobuf event
	 * @param metadata the event's {@code event_metadata}
	 * @param traceparent the W3C trace context
	 * @return the event
	 */
	public static CloudEvent of(String topic, String key, Message event, EventMetadata metadata, String traceparent) {
		return new CloudEvent(topic, key, metadata.getEventId(), "/" + metadata.getSourceService(),
				event.getDescriptorForType().getFullName(), rfc3339(metadata.getTimestamp()),
				metadata.getCorrelationId(), metadata.getCausationId(), traceparent, event.toByteArray());
	}

	/**
	 * The same event with another trace context (the producer span's, at publication).
	 * @param traceparent the W3C trace context
	 * @return the event
	 */
	public CloudEvent withTraceparent(String traceparent) {
		return new CloudEvent(this.topic, this.key, this.id, this.source, this.type, this.time, this.correlationId,
				this.causationId, traceparent, this.data);
	}

	static String rfc3339(Timestamp timestamp) {
		return DateTimeFormatter.ISO_INSTANT
			.format(Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos()));
	}

}
