package dev.polyglot.user.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.polyglot.user.events.OutboxRepository.OutboxRow;
import dev.polyglot.user.events.PublicationTracing.Publication;
import dev.polyglot.user.system.UserServiceProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Sends committed outbox rows to Kafka, in outbox order, and marks a row sent only after
 * the broker acknowledged it (acks=all, idempotent producer). One thread does it: woken
 * after each commit, otherwise polling; on failure it backs off and starts again from the
 * first unacknowledged row, so a user's events keep their order. Delivery is at least
 * once: a row acknowledged just before a crash, but not yet marked, is sent again after
 * the restart, and consumers drop it by event id.
 * <p>
 * It starts before the web server and stops after it (a lower lifecycle phase), so the
 * rows of in-flight requests are still sent on a graceful shutdown.
 */
@Component
class OutboxRelay implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

	private final OutboxRepository outbox;

	private final KafkaTemplate<String, byte[]> kafka;

	private final UserServiceProperties.Outbox settings;

	private final Clock clock;

	private final MeterRegistry meters;

	private final PublicationTracing tracing;

	private final Counter failures;

	private final Object signal = new Object();

	private boolean wakeRequested;

	private volatile boolean running;

	private Thread thread;

	private Instant lastCleanup = Instant.EPOCH;

	OutboxRelay(OutboxRepository outbox, KafkaTemplate<String, byte[]> kafka, UserServiceProperties properties,
			Clock clock, MeterRegistry meters, PublicationTracing tracing) {
		this.outbox = outbox;
		this.kafka = kafka;
		this.settings = properties.outbox();
		this.clock = clock;
		this.meters = meters;
		this.tracing = tracing;
		this.failures = Counter.builder("polyglot.events.publish.failures")
			.description("Relay rounds that ended on an unacknowledged event")
			.register(meters);
		// Names and labels as infra/prometheus/README.md fixes them for every service.
		Gauge
			.builder("polyglot.outbox.pending.records", this,
					(relay) -> relay.outbox.backlog(relay.clock.instant()).size())
			.description("Outbox rows written but not yet acknowledged by the broker")
			.register(meters);
		Gauge
			.builder("polyglot.outbox.backlog.age", this,
					(relay) -> relay.outbox.backlog(relay.clock.instant()).oldestAge().toMillis() / 1000.0)
			.baseUnit("seconds")
			.description("Age of the oldest pending outbox row; 0 when the outbox is empty")
			.register(meters);
	}

	@TransactionalEventListener
	void onCommit(OutboxAppended appended) {
		wake();
	}

	@Override
	public void start() {
		if (!this.settings.relayEnabled()) {
			log.warn("outbox relay disabled (polyglot.user.outbox.relay-enabled=false): events stay in the outbox");
			return;
		}
		this.running = true;
		this.thread = new Thread(this::loop, "outbox-relay");
		this.thread.start();
	}

	@Override
	public void stop() {
		this.running = false;
		Thread relay = this.thread;
		if (relay != null) {
			wake();
			try {
				relay.join(this.settings.shutdownTimeout().toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.thread = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// The web server's lifecycle runs in DEFAULT_PHASE - 2048; stop after it has
		// drained.
		return SmartLifecycle.DEFAULT_PHASE - 4096;
	}

	private void wake() {
		synchronized (this.signal) {
			this.wakeRequested = true;
			this.signal.notifyAll();
		}
	}

	private void loop() {
		Duration backoff = this.settings.pollInterval();
		while (this.running) {
			try {
				int sent = relayBatch();
				backoff = this.settings.pollInterval();
				if (sent < this.settings.batchSize()) {
					cleanUp();
					await(this.settings.pollInterval());
				}
			}
			catch (RuntimeException ex) {
				this.failures.increment();
				log.atWarn()
					.setMessage("outbox relay round failed; retrying")
					.addKeyValue("err", String.valueOf(ex.getMessage()))
					.addKeyValue("retry_in_ms", backoff.toMillis())
					.log();
				await(backoff);
				backoff = min(backoff.multipliedBy(2), this.settings.maxBackoff());
			}
		}
		drainOnShutdown();
	}

	/**
	 * Deletes sent rows older than the retention, at most once a minute, when the relay
	 * is idle.
	 */
	private void cleanUp() {
		Instant now = this.clock.instant();
		if (Duration.between(this.lastCleanup, now).compareTo(Duration.ofMinutes(1)) < 0) {
			return;
		}
		this.lastCleanup = now;
		int deleted = this.outbox.deleteSentBefore(now.minus(this.settings.retention()));
		if (deleted > 0) {
			log.atDebug().setMessage("sent outbox rows deleted").addKeyValue("rows", deleted).log();
		}
	}

	private void drainOnShutdown() {
		try {
			while (relayBatch() > 0) {
				// keep going until the outbox is empty or the broker fails
			}
		}
		catch (RuntimeException ex) {
			log.atWarn()
				.setMessage("outbox not drained at shutdown; the rest goes out after the restart")
				.addKeyValue("err", String.valueOf(ex.getMessage()))
				.log();
		}
	}

	/**
	 * Sends one batch of unsent rows and marks the acknowledged prefix sent.
	 * @return how many rows were sent and acknowledged
	 */
	int relayBatch() {
		List<OutboxRow> rows = this.outbox.findUnsent(this.settings.batchSize());
		if (rows.isEmpty()) {
			return 0;
		}
		List<Publication> publications = new ArrayList<>(rows.size());
		List<CompletableFuture<SendResult<String, byte[]>>> sends = new ArrayList<>(rows.size());
		RuntimeException sendFailure = null;
		try {
			for (OutboxRow row : rows) {
				Publication publication = this.tracing.start(row.event());
				publications.add(publication);
				// No flush: linger.ms=1 sends the round's rows in one request within a
				// millisecond, and waiting on each future below is the flush.
				sends.add(this.kafka.send(publication.record()));
			}
		}
		catch (RuntimeException ex) {
			sendFailure = ex;
		}
		// Rows sent before a failing send may still have been acknowledged: count them
		// too.
		RuntimeException failure = null;
		List<Long> acknowledged = new ArrayList<>(sends.size());
		for (int i = 0; i < sends.size() && failure == null; i++) {
			OutboxRow row = rows.get(i);
			try {
				RecordMetadata stored = sends.get(i)
					.get(this.settings.ackTimeout().toMillis(), TimeUnit.MILLISECONDS)
					.getRecordMetadata();
				acknowledged.add(row.id());
				Counter.builder("polyglot.events.produced")
					.description("Records the broker acknowledged")
					.tag("topic", stored.topic())
					.tag("type", row.event().type())
					.register(this.meters)
					.increment();
				publications.get(i)
					.acknowledged(stored,
							() -> log.atInfo()
								.setMessage("event published")
								.addKeyValue("topic", stored.topic())
								.addKeyValue("partition", stored.partition())
								.addKeyValue("offset", stored.offset())
								.addKeyValue("event_id", row.event().id())
								.addKeyValue("event_type", row.event().type())
								.addKeyValue("correlation_id", row.event().correlationId())
								.log());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				failure = new IllegalStateException("interrupted while waiting for acknowledgements", ex);
			}
			catch (ExecutionException | TimeoutException ex) {
				Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
				failure = new IllegalStateException("event " + row.event().id() + " not acknowledged: " + cause, cause);
			}
		}
		// Every span not ended above belongs to a row that is sent again in a later
		// round.
		for (int i = acknowledged.size(); i < publications.size(); i++) {
			publications.get(i)
				.failed((failure != null) ? failure
						: (sendFailure != null) ? sendFailure : new IllegalStateException("not acknowledged"));
		}
		this.outbox.markSent(acknowledged, this.clock.instant());
		if (failure == null) {
			failure = sendFailure;
		}
		if (failure != null) {
			throw failure;
		}
		return acknowledged.size();
	}

	private void await(Duration timeout) {
		synchronized (this.signal) {
			if (!this.wakeRequested && this.running) {
				try {
					this.signal.wait(timeout.toMillis());
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					this.running = false;
				}
			}
			this.wakeRequested = false;
		}
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

}
