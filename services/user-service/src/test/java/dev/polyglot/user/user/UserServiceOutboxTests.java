package dev.polyglot.user.user;

import java.util.List;
import java.util.Map;

import dev.polyglot.user.system.RequestTrace;
import org.junit.jupiter.api.Test;
import polyglot.events.v1.UserEvents.UserSignupEvent;
import polyglot.events.v1.UserEvents.UserUpdatedEvent;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The outbox's half of the guarantee, without a broker (the relay is off): a change and
 * its event are committed together or not at all.
 */
@SpringBootTest(properties = { "polyglot.user.outbox.relay-enabled=false",
		"polyglot.user.data-dir=target/test-data/${random.uuid}", "spring.kafka.bootstrap-servers=127.0.0.1:1" })
@AutoConfigureMockMvc
class UserServiceOutboxTests {

	@Autowired
	private UserService users;

	@Autowired
	private JdbcClient jdbc;

	@Autowired
	private MockMvc mvc;

	private final RequestTrace trace = RequestTrace.fromHeaders("corr-outbox", null);

	private User signup(String email) {
		return this.users.signup(new SignupRequest(email, "Outbox Test", null, "social"), this.trace,
				Map.of("ip_address", "127.0.0.1", "user_agent", "test"));
	}

	private List<byte[]> payloads(String userId, String type) {
		return this.jdbc.sql("SELECT payload FROM outbox WHERE record_key = :key AND event_type = :type ORDER BY id")
			.param("key", userId)
			.param("type", type)
			.query((rs, row) -> rs.getBytes(1))
			.list();
	}

	@Test
	void signupCommitsTheUserAndItsEventTogether() throws Exception {
		User user = signup("together@example.com");

		List<byte[]> events = payloads(user.id(), "polyglot.events.v1.UserSignupEvent");
		assertThat(events).hasSize(1);
		UserSignupEvent event = UserSignupEvent.parseFrom(events.get(0));
		assertThat(event.getUserId()).isEqualTo(user.id());
		assertThat(event.getEmail()).isEqualTo("together@example.com");
		assertThat(event.getEventMetadata().getCorrelationId()).isEqualTo("corr-outbox");
		String correlation = this.jdbc.sql("SELECT correlation_id FROM outbox WHERE record_key = :key")
			.param("key", user.id())
			.query(String.class)
			.single();
		assertThat(correlation).isEqualTo("corr-outbox");
	}

	@Test
	void aFailedOutboxWriteRollsTheUserBack() {
		// A correlation id longer than its outbox column makes the event's insert fail
		// for real.
		RequestTrace oversized = new RequestTrace("c".repeat(200), "4bf92f3577b34da6a3ce929d0e0e4736");

		assertThatThrownBy(() -> this.users
			.signup(new SignupRequest("rolled-back@example.com", "Rolled Back", null, null), oversized, Map.of()))
			.isInstanceOf(DataIntegrityViolationException.class);

		assertThatThrownBy(() -> this.users.getByEmail("rolled-back@example.com"))
			.isInstanceOf(UserNotFoundException.class);
	}

	@Test
	void updateWithoutChangeWritesNoEvent() {
		User user = signup("unchanged@example.com");

		this.users.update(user.id(), new UpdateRequest("Outbox Test", "unchanged@example.com", null), this.trace);

		assertThat(payloads(user.id(), "polyglot.events.v1.UserUpdatedEvent")).isEmpty();
	}

	@Test
	void updateWritesAnEventNamingExactlyTheChangedFields() throws Exception {
		User user = signup("before@example.com");

		User after = this.users.update(user.id(), new UpdateRequest("Outbox Test", "after@example.com", "+4930123456"),
				this.trace);

		assertThat(this.users.get(user.id())).isEqualTo(after);
		List<byte[]> events = payloads(user.id(), "polyglot.events.v1.UserUpdatedEvent");
		assertThat(events).hasSize(1);
		UserUpdatedEvent event = UserUpdatedEvent.parseFrom(events.get(0));
		assertThat(event.getUpdatedFieldsList()).containsExactly("email", "phone_number");
		assertThat(event.getPreviousEmail()).isEqualTo("before@example.com");
		assertThat(event.getEmail()).isEqualTo("after@example.com");
	}

	@Test
	void updateToAnotherUsersAddressIsRefusedAndWritesNothing() {
		signup("taken@example.com");
		User user = signup("mine@example.com");

		assertThatThrownBy(
				() -> this.users.update(user.id(), new UpdateRequest(null, "TAKEN@example.com", null), this.trace))
			.isInstanceOf(DuplicateEmailException.class);

		assertThat(this.users.get(user.id()).email()).isEqualTo("mine@example.com");
		assertThat(payloads(user.id(), "polyglot.events.v1.UserUpdatedEvent")).isEmpty();
	}

	@Test
	void openApiDocumentDescribesEveryOperationAndItsErrors() throws Exception {
		String problem = "application/problem+json";
		this.mvc.perform(get("/v3/api-docs"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.paths['/api/users/signup'].post.requestBody.content['application/json'].schema.$ref")
				.value("#/components/schemas/SignupRequest"))
			.andExpect(jsonPath("$.paths['/api/users/signup'].post.responses['201']").exists())
			.andExpect(
					jsonPath("$.paths['/api/users/signup'].post.responses['400'].content['" + problem + "']").exists())
			.andExpect(
					jsonPath("$.paths['/api/users/signup'].post.responses['409'].content['" + problem + "']").exists())
			.andExpect(jsonPath("$.paths['/api/users/signup'].post.responses['404']").doesNotExist())
			.andExpect(
					jsonPath("$.paths['/api/users/signup'].post.parameters[?(@.name == 'X-Correlation-ID')]").exists())
			.andExpect(jsonPath("$.paths['/api/users/signup'].post.parameters[?(@.name == 'traceparent')]").exists())
			.andExpect(jsonPath("$.paths['/api/users/{id}'].patch.responses['200']").exists())
			.andExpect(
					jsonPath("$.paths['/api/users/{id}'].patch.responses['400'].content['" + problem + "']").exists())
			.andExpect(
					jsonPath("$.paths['/api/users/{id}'].patch.responses['404'].content['" + problem + "']").exists())
			.andExpect(
					jsonPath("$.paths['/api/users/{id}'].patch.responses['409'].content['" + problem + "']").exists())
			.andExpect(jsonPath("$.paths['/api/users/{id}'].get.responses['200']").exists())
			.andExpect(jsonPath("$.paths['/api/users/{id}'].get.responses['404'].content['" + problem + "']").exists())
			.andExpect(jsonPath("$.paths['/api/users'].get.parameters[?(@.name == 'email')]").exists())
			.andExpect(jsonPath("$.paths['/api/users'].get.responses['404'].content['" + problem + "']").exists())
			.andExpect(jsonPath("$.components.schemas.Problem.properties.errors.items.$ref")
				.value("#/components/schemas/FieldProblem"))
			.andExpect(jsonPath("$.components.schemas.SignupRequest.properties.email.maxLength").value(254))
			.andExpect(jsonPath("$.components.schemas.SignupRequest.required").isArray());
	}

	@Test
	void healthShowsTheOutboxBacklog() throws Exception {
		signup("backlog@example.com");
		long backlog = this.jdbc.sql("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL").query(Long.class).single();

		this.mvc.perform(get("/actuator/health"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.components.outbox.status").value("UP"))
			.andExpect(jsonPath("$.components.outbox.details.backlog").value(backlog));
		this.mvc.perform(get("/actuator/prometheus"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("polyglot_outbox_pending_records " + backlog + ".0")))
			.andExpect(content().string(containsString("polyglot_outbox_backlog_age_seconds ")))
			.andExpect(content().string(containsString("http_server_requests_seconds_bucket")));
	}

}
