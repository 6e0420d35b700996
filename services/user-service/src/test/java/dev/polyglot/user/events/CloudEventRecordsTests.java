package dev.polyglot.user.events;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import polyglot.common.v1.Metadata.EventMetadata;
import polyglot.events.v1.UserEvents.UserSignupEvent;

import static org.assertj.core.api.Assertions.assertThat;

class CloudEventRecordsTests {

	private static final EventMetadata METADATA = EventMetadata.newBuilder()
		.setEventId("e-1")
		.setCorrelationId("corr-1")
		.setCausationId("")
		.setSourceService("user-service")
		.setSourceVersion("1.0.0")
		.setTimestamp(Timestamp.newBuilder().setSeconds(1_764_057_600L).setNanos(123_456_000))
		.build();

	@Test
	void recordCarriesEveryContractHeaderAndTheBinaryEvent() throws InvalidProtocolBufferException {
		UserSignupEvent event = UserSignupEvent.newBuilder().setUserId("u-1").setEventMetadata(METADATA).build();

		ProducerRecord<String, byte[]> record = CloudEventRecords.toRecord(CloudEvent.of("user-events", "u-1", event,
				METADATA, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));

		assertThat(record.topic()).isEqualTo("user-events");
		assertThat(record.key()).isEqualTo("u-1");
		assertThat(UserSignupEvent.parseFrom(record.value())).isEqualTo(event);
		Map<String, String> headers = new LinkedHashMap<>();
		for (Header header : record.headers()) {
			headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
		}
		assertThat(headers).containsExactlyInAnyOrderEntriesOf(Map.of("ce_specversion", "1.0", "ce_id", "e-1",
				"ce_source", "/user-service", "ce_type", "polyglot.events.v1.UserSignupEvent", "ce_time",
				"2025-11-25T08:00:00.123456Z", "content-type", "application/protobuf", "ce_correlationid", "corr-1",
				"ce_causationid", "", "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
	}

}
