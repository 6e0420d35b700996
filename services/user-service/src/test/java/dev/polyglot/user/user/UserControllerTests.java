package dev.polyglot.user.user;

import java.time.Instant;
import java.util.Map;

import dev.polyglot.user.system.RequestTrace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@WebMvcTest(UserController.class)
class UserControllerTests {

	private static final String USER_ID = "6f1c2a9e-3b7d-4c2e-9a41-0d5e8f7b6a10";

	private static final Instant SIGNED_UP = Instant.parse("2026-11-25T08:00:00.123456Z");

	@Autowired
	private MockMvc mvc;

	@MockitoBean
	private UserService users;

	private static User user(String email) {
		return new User(USER_ID, email, "Demo User", null, SignupSource.WEB, SIGNED_UP, SIGNED_UP);
	}

	@Test
	void signupAnswersCreatedWithTheCallersCorrelationId() throws Exception {
		given(this.users.signup(any(), any(), any())).willReturn(user("demo@example.com"));

		this.mvc
			.perform(post("/api/users/signup").contentType(MediaType.APPLICATION_JSON)
				.header("X-Correlation-ID", "corr-42")
				.header("User-Agent", "curl/8")
				.content("{\"email\":\"demo@example.com\",\"name\":\"Demo User\"}"))
			.andExpect(status().isCreated())
			.andExpect(header().string("X-Correlation-ID", "corr-42"))
			.andExpect(header().string("Location", "/api/users/" + USER_ID))
			.andExpect(jsonPath("$.user_id").value(USER_ID))
			.andExpect(jsonPath("$.email").value("demo@example.com"))
			.andExpect(jsonPath("$.correlation_id").value("corr-42"));

		verify(this.users).signup(
				argThat((request) -> request.email().equals("demo@example.com") && request.name().equals("Demo User")),
				argThat((RequestTrace trace) -> trace.correlationId().equals("corr-42")),
				eq(Map.of("ip_address", "127.0.0.1", "user_agent", "curl/8")));
	}

	@Test
	void signupWithoutCorrelationIdGetsANewOne() throws Exception {
		given(this.users.signup(any(), any(), any())).willReturn(user("demo@example.com"));

		this.mvc
			.perform(post("/api/users/signup").contentType(MediaType.APPLICATION_JSON)
				.content("{\"email\":\"demo@example.com\",\"name\":\"Demo User\"}"))
			.andExpect(status().isCreated())
			.andExpect(header().string("X-Correlation-ID", matchesPattern("[0-9a-f-]{36}")))
			.andExpect(jsonPath("$.correlation_id").value(matchesPattern("[0-9a-f-]{36}")));
	}

	@ParameterizedTest(name = "{0} -> 400 naming {1}")
	@CsvSource(delimiter = '|',
			value = { "{\"name\":\"A\"}|email", "{\"email\":\"\",\"name\":\"A\"}|email",
					"{\"email\":\"not-an-address\",\"name\":\"A\"}|email", "{\"email\":\"a@example.com\"}|name",
					"{\"email\":\"a@example.com\",\"name\":\"   \"}|name",
					"{\"email\":\"a@example.com\",\"name\":\"Eve\\r\\nBcc: all@example.com\"}|name",
					"{\"email\":\"a@example.com\",\"name\":\"tab\\tname\"}|name",
					"{\"email\":\"a@example.com\",\"name\":\"A\",\"source\":\"fax\"}|source",
					"{\"email\":\"a@example.com\",\"name\":\"A\",\"phone\":\"12345\"}|phone" })
	void invalidSignupIsAProblemNamingTheField(String body, String field) throws Exception {
		this.mvc.perform(post("/api/users/signup").contentType(MediaType.APPLICATION_JSON).content(body))
			.andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value("https://kafka-polyglot.dev/problems/validation-error"))
			.andExpect(jsonPath("$.title").value("Invalid request"))
			.andExpect(jsonPath("$.status").value(400))
			.andExpect(jsonPath("$.detail").value(containsString(field)))
			.andExpect(jsonPath("$.errors[*].field").value(hasItem(field)));
		verify(this.users, never()).signup(any(), any(), any());
	}

	@Test
	void overlongNameIsRejected() throws Exception {
		String name = "x".repeat(101);
		this.mvc
			.perform(post("/api/users/signup").contentType(MediaType.APPLICATION_JSON)
				.content("{\"email\":\"a@example.com\",\"name\":\"" + name + "\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors", hasSize(1)))
			.andExpect(jsonPath("$.errors[0].field").value("name"));
	}

	@Test
	void malformedJsonIsAProblemWithoutInternals() throws Exception {
		this.mvc.perform(post("/api/users/signup").contentType(MediaType.APPLICATION_JSON).content("{\"email\":"))
			.andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value("https://kafka-polyglot.dev/problems/malformed-request"))
			.andExpect(content().string(not(containsString("Exception"))));
	}

	@Test
	void duplicateEmailIsAConflict() throws Exception {
		given(this.users.signup(any(), any(), any())).willThrow(new DuplicateEmailException("demo@example.com"));

		this.mvc
			.perform(post("/api/users/signup").contentType(MediaType.APPLICATION_JSON)
				.content("{\"email\":\"DEMO@example.com\",\"name\":\"Demo User\"}"))
			.andExpect(status().isConflict())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value("https://kafka-polyglot.dev/problems/duplicate-email"))
			.andExpect(jsonPath("$.errors[0].field").value("email"));
	}

	@Test
	void wrongContentTypeIsABadRequestNamingTheHeader() throws Exception {
		this.mvc.perform(post("/api/users/signup").contentType(MediaType.TEXT_PLAIN).content("email=a@example.com"))
			.andExpect(status().isBadRequest())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.errors[0].field").value("Content-Type"));
	}

	@Test
	void oversizedBodyIsRefusedBeforeItIsRead() throws Exception {
		String name = "x".repeat(20_000);
		this.mvc
			.perform(post("/api/users/signup").contentType(MediaType.APPLICATION_JSON)
				.content("{\"email\":\"a@example.com\",\"name\":\"" + name + "\"}"))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.type").value("https://kafka-polyglot.dev/problems/body-too-large"))
			.andExpect(jsonPath("$.errors[0].field").value("body"));
		verify(this.users, never()).signup(any(), any(), any());
	}

	@Test
	void updateAnswersTheChangedUser() throws Exception {
		User changed = new User(USER_ID, "new@example.com", "New Name", "+15551234567", SignupSource.WEB, SIGNED_UP,
				SIGNED_UP.plusSeconds(60));
		given(this.users.update(eq(USER_ID), any(), any())).willReturn(changed);

		this.mvc
			.perform(patch("/api/users/" + USER_ID).contentType(MediaType.APPLICATION_JSON)
				.content("{\"name\":\"New Name\",\"email\":\"new@example.com\",\"phone\":\"+15551234567\"}"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.email").value("new@example.com"))
			.andExpect(jsonPath("$.phone").value("+15551234567"));
		verify(this.users).update(eq(USER_ID), argThat((request) -> request.name().equals("New Name")
				&& request.email().equals("new@example.com") && request.phone().equals("+15551234567")), any());
	}

	@ParameterizedTest(name = "{0} -> 400 naming {1}")
	@CsvSource(delimiter = '|',
			value = { "{\"name\":\"\"}|name", "{\"name\":\"  \"}|name",
					"{\"name\":\"Eve\\nBcc: all@example.com\"}|name", "{\"email\":\"nope\"}|email",
					"{\"phone\":\"555\"}|phone" })
	void invalidUpdateIsAProblemNamingTheField(String body, String field) throws Exception {
		this.mvc.perform(patch("/api/users/" + USER_ID).contentType(MediaType.APPLICATION_JSON).content(body))
			.andExpect(status().isBadRequest())
			.andExpect(jsonPath("$.errors[*].field").value(hasItem(field)));
		verify(this.users, never()).update(any(), any(), any());
	}

	@Test
	void knownUserIsReturned() throws Exception {
		given(this.users.get(USER_ID)).willReturn(user("demo@example.com"));

		this.mvc.perform(get("/api/users/" + USER_ID))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.user_id").value(USER_ID))
			.andExpect(jsonPath("$.email").value("demo@example.com"))
			.andExpect(jsonPath("$.name").value("Demo User"))
			.andExpect(jsonPath("$.source").value("web"));
	}

	@Test
	void unknownUserIsNotFound() throws Exception {
		given(this.users.get("nobody")).willThrow(new UserNotFoundException("id nobody"));

		this.mvc.perform(get("/api/users/nobody"))
			.andExpect(status().isNotFound())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value("https://kafka-polyglot.dev/problems/user-not-found"))
			.andExpect(jsonPath("$.status").value(404));
	}

	@Test
	void userIsFoundByEmail() throws Exception {
		given(this.users.getByEmail("demo@example.com")).willReturn(user("demo@example.com"));

		this.mvc.perform(get("/api/users").param("email", "demo@example.com"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.user_id").value(USER_ID));
	}

}
