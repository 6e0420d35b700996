package dev.polyglot.user.system;

import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The service's own settings, bound once at start-up and validated so that a bad value
 * fails the start rather than the first request.
 *
 * @param serviceName the name used in {@code ce_source} and {@code event_metadata}
 * @param version the build version, in {@code event_metadata.source_version}
 * @param dataDir where the embedded database lives ({@code DATA_DIR})
 * @param databaseUrl a PostgreSQL JDBC URL ({@code DATABASE_URL}); empty for the embedded
 * database
 * @param topics the topics this service writes
 * @param outbox how the outbox relay runs
 * @param maxBodySize the largest request body accepted
 */
@Validated
@ConfigurationProperties("polyglot.user")
public record UserServiceProperties(@NotBlank @DefaultValue("user-service") String serviceName,
		@NotBlank @DefaultValue("dev") String version, @NotNull @DefaultValue(".polyglot/data") Path dataDir,
		@DefaultValue("") String databaseUrl, @NotNull @DefaultValue Topics topics,
		@NotNull @DefaultValue Outbox outbox, @NotNull @DefaultValue("16KB") DataSize maxBodySize) {

	/**
	 * Topic names: kept in properties so that no listener or publisher hard-codes them.
	 *
	 * @param userEvents the topic of UserSignupEvent and UserUpdatedEvent
	 */
	public record Topics(@NotBlank @DefaultValue("user-events") String userEvents) {
	}

	/**
	 * The outbox relay.
	 *
	 * @param relayEnabled false keeps events in the outbox (for tests of a crash between
	 * commit and publication)
	 * @param batchSize rows sent per round
	 * @param pollInterval how often the outbox is read when no commit woke the relay
	 * @param maxBackoff the longest pause between rounds while the broker fails
	 * @param ackTimeout how long one round waits for an acknowledgement
	 * @param shutdownTimeout how long a graceful shutdown waits for the relay to drain
	 * @param retention how long sent rows are kept before they are deleted
	 */
	public record Outbox(@DefaultValue("true") boolean relayEnabled, @Positive @DefaultValue("100") int batchSize,
			@NotNull @DefaultValue("500ms") Duration pollInterval, @NotNull @DefaultValue("5s") Duration maxBackoff,
			@NotNull @DefaultValue("15s") Duration ackTimeout, @NotNull @DefaultValue("15s") Duration shutdownTimeout,
			@NotNull @DefaultValue("24h") Duration retention) {
	}

}
