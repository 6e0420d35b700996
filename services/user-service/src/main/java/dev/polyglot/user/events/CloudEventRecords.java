package dev.polyglot.user.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import polyglot.common.v1.Metadata.EventMetadata;

/**
 * Builds Kafka records in the CloudEvents Kafka binding (binary mode) that the contract
 * fixes: the protobuf message as the value and the event's ids as {@code ce_*} headers, the
 * same ids as in the message's {@code event_metadata}.
 */
public final class CloudEventRecords {

	/** Header names of the contract. */
	public static final String SPEC_VERSION = "ce_specversion";

	public static final String ID = "ce_id";

	public static final String SOURCE = "ce_source";

	public static final String TYPE = "ce_type";

	public static final String TIME = "ce_time";

	public static final String CONTENT_TYPE = "content-type";

	public static final String CORRELATION_ID = "ce_correlationid";

	public static final String CAUSATION_ID = "ce_causationid";

	public static final String TRACEPARENT = "traceparent";

	private CloudEventRecords() {
	}

	/**
	 * The record of one event.
	 * @param topic the topic to write to
	 * @param key the record key (a user id)
	 * @param event the protobuf event; its full name becomes {@code ce_type}
	 * @param metadata the event's metadata, the source of every id header
	 * @param traceparent the W3C trace context of the publication
	 * @return the record, ready to send
	 */
	public static ProducerRecord<String, byte[]> toRecord(String topic, String key, Message event,
			EventMetadata metadata, String traceparent) {
		RecordHeaders headers = new RecordHeaders();
		add(headers, SPEC_VERSION, "1.0");
		add(headers, ID, metadata.getEventId());
		add(headers, SOURCE, "/" + metadata.getSourceService());
		add(headers, TYPE, event.getDescriptorForType().getFullName());
		add(headers, TIME, rfc3339(metadata.getTimestamp()));
		add(headers, CONTENT_TYPE, "application/protobuf");
		add(headers, CORRELATION_ID, metadata.getCorrelationId());
		add(headers, CAUSATION_ID, metadata.getCausationId());
		add(headers, TRACEPARENT, traceparent);
		return new ProducerRecord<>(topic, null, key, event.toByteArray(), headers);
	}

	static String rfc3339(Timestamp timestamp) {
		return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos()));
	}

	private static void add(RecordHeaders headers, String name, String value) {
		headers.add(name, value.getBytes(StandardCharsets.UTF_8));
	}

}
