package dev.polyglot.user.user;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import com.google.protobuf.InvalidProtocolBufferException;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import polyglot.events.v1.UserEvents;
import polyglot.events.v1.UserEvents.UserSignupEvent;

import dev.polyglot.user.events.OutboxRepository;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.tracing.test.autoconfigure.AutoConfigureTracing;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.kafka.test.utils.KafkaTestUtils;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import com.jayway.jsonpath.JsonPath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Sign-up end to end inside the service: HTTP request, H2 database, an embedded KRaft
 * broker, and the record read back from {@code user-events}.
 */
@SpringBootTest(properties = { "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
		"polyglot.user.data-dir=target/test-data/${random.uuid}" })
@AutoConfigureMockMvc
@EmbeddedKafka(topics = "user-events", partitions = 3)
@AutoConfigureTracing
@Import(UserSignupKafkaTests.SpanCapture.class)
class UserSignupKafkaTests {

	/**
	 * Keeps every finished span, to be read back: a span processor of its own beside the
	 * batching one of the Zipkin exporter, so a span is there as soon as it ended.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class SpanCapture {

		@Bean
		InMemorySpanExporter inMemorySpanExporter() {
			return InMemorySpanExporter.create();
		}

		@Bean
		SpanProcessor inMemorySpanProcessor(InMemorySpanExporter exporter) {
			return SimpleSpanProcessor.create(exporter);
		}

	}

	@Autowired
	private InMemorySpanExporter spans;

	@Autowired
	private MockMvc mvc;

	@Autowired
	private EmbeddedKafkaBroker broker;

	@Autowired
	private OutboxRepository outbox;

	private Consumer<String, byte[]> consumer;

	@BeforeEach
	void subscribe() {
		// Each test reads the whole topic in a group of its own and picks its records by
		// content.
		Map<String, Object> props = new HashMap<>(
				KafkaTestUtils.consumerProps(this.broker, "signup-test-" + UUID.randomUUID(), false));
		props.put("auto.offset.reset", "earliest");
		this.consumer = new DefaultKafkaConsumerFactory<>(props, new StringDeserializer(), new ByteArrayDeserializer())
			.createConsumer();
		this.broker.consumeFromAnEmbeddedTopic(this.consumer, "user-events");
	}

	@AfterEach
	void close() {
		this.consumer.close();
	}

	@Test
	void signupStoresTheUserAndPublishesItsEventKeyedByUserId() throws Exception {
		MvcResult result = this.mvc
			.perform(post("/api/users/signup").contentType(MediaType.APPLICATION_JSON)
				.header("X-Correlation-ID", "corr-it-1")
				.header("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
				.header("User-Agent", "it/1.0")
				.content("{\"email\":\"Kafka.Test@example.com\",\"name\":\"Kafka Tëst\",\"source\":\"api\"}"))
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.correlation_id").value("corr-it-1"))
			.andReturn();
		String userId = JsonPath.read(result.getResponse().getContentAsString(), "$.user_id");

		List<ConsumerRecord<String, byte[]>> records = readToTheEnd(
				readUntil((seen) -> seen.stream().anyMatch((r) -> r.key().equals(userId)), Duration.ofSeconds(20)),
				Duration.ofSeconds(20));
		assertThat(records).filteredOn((r) -> r.key().equals(userId)).hasSize(1);
		ConsumerRecord<String, byte[]> record = records.stream()
			.filter((r) -> r.key().equals(userId))
			.findFirst()
			.orElseThrow();

		assertThat(record.key()).isEqualTo(userId);
		Map<String, String> headers = new HashMap<>();
		for (Header header : record.headers()) {
			headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
		}
		UserSignupEvent event = UserSignupEvent.parseFrom(record.value());
		assertThat(event.getUserId()).isEqualTo(userId);
		assertThat(event.getEmail()).isEqualTo("Kafka.Test@example.com");
		assertThat(event.getName()).isEqualTo("Kafka Tëst");
		assertThat(event.getSource()).isEqualTo(UserEvents.SignupSource.SIGNUP_SOURCE_API);
		assertThat(event.getMetadataMap()).containsEntry("user_agent", "it/1.0").containsKey("ip_address");
		assertThat(headers).containsEntry("ce_specversion", "1.0")
			.containsEntry("ce_id", event.getEventMetadata().getEventId())
			.containsEntry("ce_source", "/user-service")
			.containsEntry("ce_type", "polyglot.events.v1.UserSignupEvent")
			.containsEntry("content-type", "application/protobuf")
			.containsEntry("ce_correlationid", "corr-it-1")
			.containsEntry("ce_causationid", "")
			.containsKey("ce_time");
		assertThat(headers.get("traceparent")).matches("00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01");
		assertThat(event.getEventMetadata().getCorrelationId()).isEqualTo("corr-it-1");

		this.mvc.perform(get("/api/users/" + userId))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.email").value("Kafka.Test@example.com"))
			.andExpect(jsonPath("$.source").value("api"));
	}

	@Test
	void theRecordsTraceparentNamesAProducerSpanThatIsAChildOfTheRequestSpan() throws Exception {
		String callerTrace = "5af7651916cd43dd8448eb211c80319c";
		String callerSpan = "c7ad6b7169203331";
		MvcResult result = this.mvc
			.perform(post("/api/users/signup").contentType(MediaType.APPLICATION_JSON)
				.header("traceparent", "00-" + callerTrace + "-" + callerSpan + "-01")
				.content("{\"email\":\"traced@example.com\",\"name\":\"Traced\"}"))
			.andExpect(status().isCreated())
			.andReturn();
		String userId = JsonPath.read(result.getResponse().getContentAsString(), "$.user_id");
		ConsumerRecord<String, byte[]> record = readUntil(
				(seen) -> seen.stream().anyMatch((r) -> r.key().equals(userId)), Duration.ofSeconds(20))
			.stream()
			.filter((r) -> r.key().equals(userId))
			.findFirst()
			.orElseThrow();
		String traceparent = new String(record.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8);
		assertThat(traceparent).matches("00-" + callerTrace + "-[0-9a-f]{16}-01");
		String producerSpanId = traceparent.substring(36, 52);

		// The span ends once the relay saw the broker's acknowledgement, which may be
		// after the record was read.
		SpanData producer = null;
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (producer == null) {
			assertThat(System.nanoTime())
				.as("producer span %s ended; finished: %s", producerSpanId, this.spans.getFinishedSpanItems())
				.isLessThan(deadline);
			producer = this.spans.getFinishedSpanItems()
				.stream()
				.filter((span) -> span.getSpanId().equals(producerSpanId))
				.findFirst()
				.orElse(null);
		}
		assertThat(producer.getName()).isEqualTo("user-events publish");
		assertThat(producer.getKind()).isEqualTo(SpanKind.PRODUCER);
		assertThat(producer.getTraceId()).isEqualTo(callerTrace);
		assertThat(producer.getAttributes().asMap())
			.containsEntry(AttributeKey.stringKey("messaging.destination.name"), "user-events")
			.containsEntry(AttributeKey.stringKey("messaging.kafka.message.key"), userId);
		String requestSpanId = producer.getParentSpanId();
		SpanData request = this.spans.getFinishedSpanItems()
			.stream()
			.filter((span) -> span.getSpanId().equals(requestSpanId))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no finished span " + requestSpanId + " (the producer's parent)"));
		assertThat(request.getKind()).isEqualTo(SpanKind.SERVER);
		assertThat(request.getName()).isEqualTo("POST /api/users/signup");
		assertThat(request.getTraceId()).isEqualTo(callerTrace);
		assertThat(request.getParentSpanId()).isEqualTo(callerSpan);
	}

	@Test
	void duplicateEmailInAnotherCaseIsRefusedWithoutAnEvent() throws Exception {
		this.mvc
			.perform(post("/api/users/signup").contentType(MediaType.APPLICATION_JSON)
				.content("{\"email\":\"twice@example.com\",\"name\":\"First\"}"))
			.andExpect(status().isCreated());
		this.mvc
			.perform(post("/api/users/signup").contentType(MediaType.APPLICATION_JSON)
				.content("{\"email\":\"TWICE@Example.com\",\"name\":\"Second\"}"))
			.andExpect(status().isConflict());
		// A marker sign-up after the refused one: once its event is written, an
		// event of the refused sign-up would have been written too (one producer,
		// acknowledged in order). It may be on another partition, and a resend may
		// follow, so the topic is then read to its end once the outbox is empty.
		this.mvc
			.perform(post("/api/users/signup").contentType(MediaType.APPLICATION_JSON)
				.content("{\"email\":\"marker@example.com\",\"name\":\"Marker\"}"))
			.andExpect(status().isCreated());

		List<ConsumerRecord<String, byte[]>> records = readToTheEnd(
				readUntil((seen) -> seen.stream().anyMatch((r) -> email(r).equals("marker@example.com")),
						Duration.ofSeconds(20)),
				Duration.ofSeconds(20));

		assertThat(records).filteredOn((r) -> email(r).equalsIgnoreCase("twice@example.com"))
			.singleElement()
			.satisfies((r) -> assertThat(email(r)).isEqualTo("twice@example.com"));
	}

	private List<ConsumerRecord<String, byte[]>> readUntil(Predicate<List<ConsumerRecord<String, byte[]>>> done,
			Duration timeout) {
		List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!done.test(seen)) {
			assertThat(System.nanoTime()).as("records read within %s: %s", timeout, seen.size()).isLessThan(deadline);
			this.consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
		}
		return seen;
	}

	/**
	 * Waits until the outbox is empty, every event acknowledged and marked sent so that
	 * none is sent again, then reads on to the end offsets the topic has then, on every
	 * partition: what the test counts after it is all there will be.
	 */
	private List<ConsumerRecord<String, byte[]>> readToTheEnd(List<ConsumerRecord<String, byte[]>> seen,
			Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (this.outbox.backlog(Instant.now()).size() > 0) {
			assertThat(System.nanoTime()).as("outbox drained within %s", timeout).isLessThan(deadline);
			Thread.sleep(50);
		}
		Map<TopicPartition, Long> ends = this.consumer.endOffsets(this.consumer.assignment());
		while (!ends.entrySet().stream().allMatch((end) -> this.consumer.position(end.getKey()) >= end.getValue())) {
			assertThat(System.nanoTime()).as("user-events read to its end offsets %s within %s", ends, timeout)
				.isLessThan(deadline);
			this.consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
		}
		return seen;
	}

	private static String email(ConsumerRecord<String, byte[]> record) {
		try {
			return UserSignupEvent.parseFrom(record.value()).getEmail();
		}
		catch (InvalidProtocolBufferException ex) {
			throw new AssertionError("undecodable record at offset " + record.offset(), ex);
		}
	}

}
