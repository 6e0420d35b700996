package dev.polyglot.user.events;

import java.time.Clock;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code outbox} entry of {@code /actuator/health}: how many events wait for the
 * broker and for how long. A backlog does not make the service unhealthy: sign-ups are
 * still accepted and stored while the broker is away, which is the point of the outbox.
 */
@Component("outbox")
class OutboxHealthIndicator implements HealthIndicator {

	private final OutboxRepository outbox;

	private final Clock clock;

	OutboxHealthIndicator(OutboxRepository outbox, Clock clock) {
		this.outbox = outbox;
		this.clock = clock;
	}

	@Override
	public Health health() {
		OutboxRepository.Backlog backlog = this.outbox.backlog(this.clock.instant());
		return Health.up()
			.withDetail("backlog", backlog.size())
			.withDetail("oldest_age_seconds", backlog.oldestAge().toMillis() / 1000.0)
			.build();
	}

}
