package dev.polyglot.user.user;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProfileChangeTests {

	private static final Instant AT = Instant.parse("2026-11-25T08:00:00Z");

	private static final User USER = new User("u-1", "demo@example.com", "Demo User", "+15551234567", SignupSource.WEB,
			AT, AT);

	@Test
	void sameValuesChangeNothing() {
		ProfileChange change = ProfileChange.between(USER,
				new UpdateRequest(" Demo User ", "demo@example.com", "+15551234567"));

		assertThat(change.isEmpty()).isTrue();
	}

	@Test
	void absentFieldsStayAsTheyAre() {
		ProfileChange change = ProfileChange.between(USER, new UpdateRequest(null, null, null));

		assertThat(change.isEmpty()).isTrue();
		assertThat(change.name()).isEqualTo("Demo User");
		assertThat(change.phone()).isEqualTo("+15551234567");
	}

	@Test
	void onlyTheFieldsThatDifferAreNamed() {
		ProfileChange change = ProfileChange.between(USER, new UpdateRequest("Demo User", "new@example.com", null));

		assertThat(change.fields()).containsExactly("email");
		assertThat(change.email()).isEqualTo("new@example.com");
	}

	@Test
	void everyChangedFieldIsNamedInFixedOrder() {
		ProfileChange change = ProfileChange.between(USER, new UpdateRequest("Zoë", "Demo@Example.com", ""));

		assertThat(change.fields()).containsExactly("name", "email", "phone_number");
		assertThat(change.phone()).isNull();
	}

}
