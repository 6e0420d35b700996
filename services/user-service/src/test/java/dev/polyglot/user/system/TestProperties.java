package dev.polyglot.user.system;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.util.unit.DataSize;

/** Properties for unit tests that build their objects by hand. */
public final class TestProperties {

	private TestProperties() {
	}

	/**
	 * Properties with the given outbox settings.
	 * @param outbox the outbox settings
	 * @return the properties
	 */
	public static UserServiceProperties with(UserServiceProperties.Outbox outbox) {
		return new UserServiceProperties("user-service", "1.2.3", Path.of("unused"), "",
				new UserServiceProperties.Topics("user-events"), outbox, DataSize.ofKilobytes(16));
	}

	/**
	 * Properties whose relay is off.
	 * @return the properties
	 */
	public static UserServiceProperties defaults() {
		Duration second = Duration.ofSeconds(1);
		return with(new UserServiceProperties.Outbox(false, 1, second, second, second, second, Duration.ofHours(1)));
	}

}
