package dev.polyglot.user.it;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads {@code user-events} from the offsets it had when opened: only what a test caused,
 * whatever the topic held before. No consumer group, no committed offsets.
 */
final class UserEventsReader implements AutoCloseable {

	private final KafkaConsumer<String, byte[]> consumer;

	private final List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();

	UserEventsReader(String bootstrapServers) {
		Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
		List<TopicPartition> partitions = this.consumer.partitionsFor("user-events", Duration.ofSeconds(30))
			.stream()
			.map((info) -> new TopicPartition(info.topic(), info.partition()))
			.toList();
		this.consumer.assign(partitions);
		this.consumer.seekToEnd(partitions);
		// Resolve the end offsets now, before the test produces anything.
		partitions.forEach(this.consumer::position);
	}

	/**
	 * Reads the topic from its beginning instead (for a broker that only the test uses).
	 */
	void seekToBeginning() {
		this.consumer.seekToBeginning(this.consumer.assignment());
	}

	/**
	 * Reads until {@code done} holds for what was read so far, or fails after
	 * {@code timeout}.
	 */
	List<ConsumerRecord<String, byte[]>> readUntil(Predicate<List<ConsumerRecord<String, byte[]>>> done,
			Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!done.test(this.seen)) {
			assertThat(System.nanoTime()).as("records on user-events within %s (read %s)", timeout, this.seen.size())
				.isLessThan(deadline);
			this.consumer.poll(Duration.ofMillis(250)).forEach(this.seen::add);
		}
		return List.copyOf(this.seen);
	}

	/**
	 * Reads on to the end offsets the topic has now, on every partition, or fails after
	 * {@code timeout}: a record of one partition says nothing of how far the others were
	 * read.
	 * @return everything read so far
	 */
	List<ConsumerRecord<String, byte[]>> readToEnd(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		Map<TopicPartition, Long> ends = this.consumer.endOffsets(this.consumer.assignment(), timeout);
		while (!ends.entrySet().stream().allMatch((end) -> this.consumer.position(end.getKey()) >= end.getValue())) {
			assertThat(System.nanoTime())
				.as("user-events read to its end offsets %s within %s (read %s)", ends, timeout, this.seen.size())
				.isLessThan(deadline);
			this.consumer.poll(Duration.ofMillis(250)).forEach(this.seen::add);
		}
		return List.copyOf(this.seen);
	}

	static Map<String, String> headers(ConsumerRecord<String, byte[]> record) {
		Map<String, String> headers = new HashMap<>();
		for (Header header : record.headers()) {
			headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
		}
		return headers;
	}

	@Override
	public void close() {
		this.consumer.close();
	}

}
