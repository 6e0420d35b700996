package dev.polyglot.user.events;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds Kafka records in the CloudEvents Kafka binding (binary mode) that the contract
 * fixes: the protobuf message as the value and the event's attributes as {@code ce_*}
 * headers, UTF-8 encoded.
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
	 * @param event the event
	 * @return the record, ready to send
	 */
	public static ProducerRecord<String, byte[]> toRecord(CloudEvent event) {
		RecordHeaders headers = new RecordHeaders();
		add(headers, SPEC_VERSION, "1.0");
		add(headers, ID, event.id());
		add(headers, SOURCE, event.source());
		add(headers, TYPE, event.type());
		add(headers, TIME, event.time());
		add(headers, CONTENT_TYPE, "application/protobuf");
		add(headers, CORRELATION_ID, event.correlationId());
		add(headers, CAUSATION_ID, event.causationId());
		add(headers, TRACEPARENT, event.traceparent());
		return new ProducerRecord<>(event.topic(), null, event.key(), event.data(), headers);
	}

	private static void add(RecordHeaders headers, String name, String value) {
		headers.add(name, value.getBytes(StandardCharsets.UTF_8));
	}

}
