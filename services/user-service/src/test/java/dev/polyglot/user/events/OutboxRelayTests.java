package dev.polyglot.user.events;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import javax.sql.DataSource;

import dev.polyglot.user.system.TestProperties;
import dev.polyglot.user.system.UserServiceProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.mock.MockProducerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The relay against the real outbox table (in-memory H2, the real migrations) and Kafka's
 * {@link MockProducer}, which lets each test decide which sends are acknowledged.
 */
class OutboxRelayTests {

	private static final Instant NOW = Instant.parse("2026-11-25T08:00:00Z");

	private OutboxRepository outbox;

	private final MockProducer<String, byte[]> producer = new MockProducer<>(false, null, new StringSerializer(),
			new ByteArraySerializer()) {

		// KafkaTemplate closes a raw producer after a failed send (a real factory hands
		// out a
		// fresh one); this one stays open so the test can follow every send.
		@Override
		public void close(Duration timeout) {
		}

	};

	private OutboxRelay relay;

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	@BeforeEach
	void setUp() {
		DataSource dataSource = new DriverManagerDataSource(
				"jdbc:h2:mem:outbox-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
		Flyway.configure().dataSource(dataSource).load().migrate();
		this.outbox = new OutboxRepository(JdbcClient.create(dataSource));
		UserServiceProperties properties = TestProperties
			.with(new UserServiceProperties.Outbox(true, 100, Duration.ofMillis(50), Duration.ofMillis(100),
					Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofHours(1)));
		this.relay = new OutboxRelay(this.outbox, new KafkaTemplate<>(new MockProducerFactory<>(this::producer)),
				properties, Clock.fixed(NOW, ZoneOffset.UTC), this.meters, PublicationTracing.disabled());
	}

	private MockProducer<String, byte[]> producer() {
		return this.producer;
	}

	private List<ProducerRecord<String, byte[]>> history() {
		return this.producer.history();
	}

	private CloudEvent append(String key, String id) {
		CloudEvent event = new CloudEvent("user-events", key, id, "/user-service", "polyglot.events.v1.UserSignupEvent",
				"2026-11-25T08:00:00Z", "corr-" + id, "", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
				id.getBytes(StandardCharsets.UTF_8));
		this.outbox.append(event, NOW);
		return event;
	}

	private List<String> sentIds() {
		return history().stream()
			.map((record) -> new String(record.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8))
			.toList();
	}

	private void awaitSends(int count) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (history().size() < count) {
			assertThat(System.nanoTime()).as("%s sends within 5 s", count).isLessThan(deadline);
			Thread.sleep(5);
		}
	}

	@Test
	void acknowledgedRowsAreSentInOutboxOrderOnceAndMarkedSent() throws Exception {
		append("user-a", "e1");
		append("user-b", "e2");
		append("user-a", "e3");

		CompletableFuture<Integer> round = CompletableFuture.supplyAsync(this.relay::relayBatch);
		awaitSends(3);
		while (producer().completeNext()) {
			// acknowledge every send
		}

		assertThat(round.get()).isEqualTo(3);
		assertThat(sentIds()).containsExactly("e1", "e2", "e3");
		ProducerRecord<String, byte[]> first = history().get(0);
		assertThat(first.topic()).isEqualTo("user-events");
		assertThat(first.key()).isEqualTo("user-a");
		assertThat(new String(first.headers().lastHeader("ce_type").value(), StandardCharsets.UTF_8))
			.isEqualTo("polyglot.events.v1.UserSignupEvent");
		assertThat(this.outbox.backlog(NOW).size()).isZero();
		assertThat(this.meters.get("polyglot.events.produced")
			.tag("topic", "user-events")
			.tag("type", "polyglot.events.v1.UserSignupEvent")
			.counter()
			.count()).isEqualTo(3);
		assertThat(this.meters.get("polyglot.outbox.pending.records").gauge().value()).isZero();

		assertThat(this.relay.relayBatch()).isZero();
		assertThat(history()).hasSize(3);
	}

	@Test
	void unacknowledgedRowStaysInTheOutboxAndGoesOutAgainBeforeItsSuccessors() throws Exception {
		append("user-a", "e1");
		append("user-a", "e2");
		append("user-a", "e3");

		CompletableFuture<Integer> round = CompletableFuture.supplyAsync(this.relay::relayBatch);
		awaitSends(3);
		producer().completeNext();
		producer().errorNext(new NotEnoughReplicasException("not enough in-sync replicas"));

		assertThatThrownBy(round::join).hasMessageContaining("e2 not acknowledged");
		assertThat(this.outbox.backlog(NOW).size()).isEqualTo(2);

		CompletableFuture<Integer> retry = CompletableFuture.supplyAsync(this.relay::relayBatch);
		awaitSends(5);
		while (producer().completeNext()) {
			// acknowledge the rest
		}
		assertThat(retry.get()).isEqualTo(2);
		assertThat(sentIds()).containsExactly("e1", "e2", "e3", "e2", "e3");
		assertThat(this.outbox.backlog(NOW).size()).isZero();
	}

	@Test
	void onlySentRowsOlderThanTheRetentionAreDeleted() {
		append("user-a", "e1");
		append("user-a", "e2");
		this.outbox.markSent(List.of(this.outbox.findUnsent(1).get(0).id()), NOW);

		assertThat(this.outbox.deleteSentBefore(NOW)).isZero();
		assertThat(this.outbox.deleteSentBefore(NOW.plusSeconds(1))).isEqualTo(1);
		assertThat(this.outbox.findUnsent(10)).extracting((row) -> row.event().id()).containsExactly("e2");
	}

	@Test
	void unreachableBrokerLeavesEveryRowUnsent() {
		append("user-a", "e1");
		append("user-b", "e2");
		producer().sendException = new TimeoutException("Topic user-events not present in metadata after 5000 ms.");

		assertThatThrownBy(this.relay::relayBatch).hasMessageContaining("not present in metadata");

		OutboxRepository.Backlog backlog = this.outbox.backlog(NOW.plusSeconds(7));
		assertThat(backlog.size()).isEqualTo(2);
		assertThat(backlog.oldestAge()).isEqualTo(Duration.ofSeconds(7));
	}

}
