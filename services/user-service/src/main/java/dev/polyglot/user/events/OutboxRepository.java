package dev.polyglot.user.events;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The {@code outbox} table. Rows are appended inside the transaction that changes a user
 * (hence {@link Propagation#MANDATORY}), read back unsent in id order, which is commit
 * order for one user's rows, and marked sent once acknowledged.
 */
@Repository
public class OutboxRepository {

	private final JdbcClient jdbc;

	OutboxRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Appends an event to the outbox of the current transaction.
	 * @param event the event
	 * @param at when it was written
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public void append(CloudEvent event, Instant at) {
		this.jdbc.sql("""
				INSERT INTO outbox (event_id, topic, record_key, event_type, event_source, event_time,
				                    correlation_id, causation_id, traceparent, payload, created_at)
				VALUES (:id, :topic, :key, :type, :source, :time, :correlationId, :causationId, :traceparent,
				        :payload, :createdAt)
				""")
			.param("id", event.id())
			.param("topic", event.topic())
			.param("key", event.key())
			.param("type", event.type())
			.param("source", event.source())
			.param("time", event.time())
			.param("correlationId", event.correlationId())
			.param("causationId", event.causationId())
			.param("traceparent", event.traceparent())
			.param("payload", event.data())
			.param("createdAt", at.atOffset(ZoneOffset.UTC))
			.update();
	}

	List<OutboxRow> findUnsent(int limit) {
		return this.jdbc.sql("SELECT * FROM outbox WHERE sent_at IS NULL ORDER BY id FETCH FIRST :limit ROWS ONLY")
			.param("limit", limit)
			.query((rs, row) -> new OutboxRow(rs.getLong("id"),
					new CloudEvent(rs.getString("topic"), rs.getString("record_key"), rs.getString("event_id"),
							rs.getString("event_source"), rs.getString("event_type"), rs.getString("event_time"),
							rs.getString("correlation_id"), rs.getString("causation_id"), rs.getString("traceparent"),
							rs.getBytes("payload"))))
			.list();
	}

	void markSent(List<Long> ids, Instant at) {
		if (!ids.isEmpty()) {
			this.jdbc.sql("UPDATE outbox SET sent_at = :sentAt WHERE id IN (:ids)")
				.param("sentAt", at.atOffset(ZoneOffset.UTC))
				.param("ids", ids)
				.update();
		}
	}

	/**
	 * Deletes rows that were sent before {@code cutoff}: the outbox is a queue, not an
	 * archive.
	 * @param cutoff the oldest sending time kept
	 * @return how many rows were deleted
	 */
	int deleteSentBefore(Instant cutoff) {
		return this.jdbc.sql("DELETE FROM outbox WHERE sent_at < :cutoff")
			.param("cutoff", cutoff.atOffset(ZoneOffset.UTC))
			.update();
	}

	/**
	 * What is waiting to be published.
	 * @param now the current time
	 * @return the number of unsent rows and the age of the oldest
	 */
	public Backlog backlog(Instant now) {
		Backlog backlog = this.jdbc.sql("SELECT COUNT(*), MIN(created_at) FROM outbox WHERE sent_at IS NULL")
			.query((rs, row) -> {
				OffsetDateTime oldest = rs.getObject(2, OffsetDateTime.class);
				Duration age = (oldest != null) ? Duration.between(oldest.toInstant(), now) : Duration.ZERO;
				return new Backlog(rs.getLong(1), age.isNegative() ? Duration.ZERO : age);
			})
			.single();
		return backlog;
	}

	/** One unsent row: its position in the outbox and its event. */
	record OutboxRow(long id, CloudEvent event) {
	}

	/**
	 * The outbox backlog.
	 *
	 * @param size unsent rows
	 * @param oldestAge how long the oldest unsent row has waited
	 */
	public record Backlog(long size, Duration oldestAge) {
	}

}
