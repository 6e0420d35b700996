package dev.polyglot.user.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.polyglot.user.system.RequestTrace;
import dev.polyglot.user.system.TestProperties;
import dev.polyglot.user.user.SignupSource;
import dev.polyglot.user.user.User;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import polyglot.events.v1.UserEvents;
import polyglot.events.v1.UserEvents.UserSignupEvent;
import polyglot.events.v1.UserEvents.UserUpdatedEvent;

import static org.assertj.core.api.Assertions.assertThat;

class UserEventMapperTests {

	private static final Instant SIGNED_UP = Instant.parse("2026-11-25T08:00:00.123456Z");

	private final UserEventMapper mapper = new UserEventMapper(TestProperties.defaults());

	private final RequestTrace trace = new RequestTrace("corr-1", "4bf92f3577b34da6a3ce929d0e0e4736");

	@Test
	void signupEventCarriesTheUserAndTheRequestContext() {
		User user = new User("u-1", "Zoë@example.com", "Zoë 東京 🎉", "+15551234567", SignupSource.MOBILE, SIGNED_UP,
				SIGNED_UP);

		UserSignupEvent event = this.mapper.signupEvent(user, this.trace,
				Map.of("ip_address", "10.0.0.7", "user_agent", "curl/8"));

		assertThat(event.getUserId()).isEqualTo("u-1");
		assertThat(event.getEmail()).isEqualTo("Zoë@example.com");
		assertThat(event.getName()).isEqualTo("Zoë 東京 🎉");
		assertThat(event.getPhoneNumber()).isEqualTo("+15551234567");
		assertThat(event.getSource()).isEqualTo(UserEvents.SignupSource.SIGNUP_SOURCE_MOBILE);
		assertThat(event.getSignupTimestamp().getSeconds()).isEqualTo(SIGNED_UP.getEpochSecond());
		assertThat(event.getSignupTimestamp().getNanos()).isEqualTo(123_456_000);
		assertThat(event.getMetadataMap())
			.containsExactlyInAnyOrderEntriesOf(Map.of("ip_address", "10.0.0.7", "user_agent", "curl/8"));
	}

	@Test
	void signupIsARootEventOfTheRequestsChain() {
		User user = new User("u-1", "a@example.com", "A", null, SignupSource.WEB, SIGNED_UP, SIGNED_UP);

		UserSignupEvent event = this.mapper.signupEvent(user, this.trace, Map.of());

		var metadata = event.getEventMetadata();
		assertThat(metadata.getEventId()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}");
		assertThat(metadata.getCorrelationId()).isEqualTo("corr-1");
		assertThat(metadata.getCausationId()).isEmpty();
		assertThat(metadata.getSourceService()).isEqualTo("user-service");
		assertThat(metadata.getSourceVersion()).isEqualTo("1.2.3");
		assertThat(metadata.getTimestamp()).isEqualTo(event.getSignupTimestamp());
		assertThat(event.getPhoneNumber()).isEmpty();
	}

	@Test
	void everyEventGetsItsOwnId() {
		User user = new User("u-1", "a@example.com", "A", null, SignupSource.WEB, SIGNED_UP, SIGNED_UP);

		String first = this.mapper.signupEvent(user, this.trace, Map.of()).getEventMetadata().getEventId();
		String second = this.mapper.signupEvent(user, this.trace, Map.of()).getEventMetadata().getEventId();

		assertThat(first).isNotEqualTo(second);
	}

	@Test
	void updatedEventNamesTheChangedFieldsAndThePreviousAddress() {
		User before = new User("u-1", "old@example.com", "A", null, SignupSource.WEB, SIGNED_UP, SIGNED_UP);
		User after = new User("u-1", "new@example.com", "A", "+15551234567", SignupSource.WEB, SIGNED_UP,
				SIGNED_UP.plusSeconds(5));

		UserUpdatedEvent event = this.mapper.updatedEvent(before, after, List.of("email", "phone_number"), this.trace);

		assertThat(event.getUserId()).isEqualTo("u-1");
		assertThat(event.getEmail()).isEqualTo("new@example.com");
		assertThat(event.getPreviousEmail()).isEqualTo("old@example.com");
		assertThat(event.getPhoneNumber()).isEqualTo("+15551234567");
		assertThat(event.getUpdatedFieldsList()).containsExactly("email", "phone_number");
		assertThat(event.getUpdatedTimestamp().getSeconds()).isEqualTo(SIGNED_UP.getEpochSecond() + 5);
		assertThat(event.getEventMetadata().getCorrelationId()).isEqualTo("corr-1");
		assertThat(event.getEventMetadata().getCausationId()).isEmpty();
	}

	@Test
	void updatedEventWithoutAddressChangeHasNoPreviousAddress() {
		User before = new User("u-1", "a@example.com", "A", null, SignupSource.WEB, SIGNED_UP, SIGNED_UP);
		User after = new User("u-1", "a@example.com", "B", null, SignupSource.WEB, SIGNED_UP, SIGNED_UP);

		UserUpdatedEvent event = this.mapper.updatedEvent(before, after, List.of("name"), this.trace);

		assertThat(event.getPreviousEmail()).isEmpty();
		assertThat(event.getUpdatedFieldsList()).containsExactly("name");
	}

	@ParameterizedTest
	@EnumSource(SignupSource.class)
	void everySourceMapsToItsProtobufValue(SignupSource source) {
		assertThat(UserEventMapper.source(source).name()).isEqualTo("SIGNUP_SOURCE_" + source.name());
	}

}
