package dev.polyglot.user.it;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.jayway.jsonpath.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import polyglot.events.v1.UserEvents;
import polyglot.events.v1.UserEvents.UserSignupEvent;
import polyglot.events.v1.UserEvents.UserUpdatedEvent;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * user-service as a real process against the real broker of the test run: the exact
 * records it writes to {@code user-events}, and the outbox's promise that a sign-up
 * committed just before a crash is still published, once, after the restart.
 */
class UserEventsIT {

	private static String unique(String name) {
		return name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
	}

	@Test
	void signupAndUpdateAreReadBackFromTheBrokerExactly() throws Exception {
		String bootstrap = ServiceProcess.bootstrapServers();
		String email = unique("it.signup");
		try (ServiceProcess service = new ServiceProcess("it-signup", Files.createTempDirectory("user-it"));
				UserEventsReader reader = new UserEventsReader(bootstrap)) {
			service.start(bootstrap);

			HttpResponse<String> created = service.send("POST", "/api/users/signup",
					"{\"email\":\"" + email
							+ "\",\"name\":\"Zoë Ĳssel 東京 🎉\",\"phone\":\"+4930123456\",\"source\":\"mobile\"}",
					Map.of("X-Correlation-ID", "it-corr-1", "User-Agent", "user-it/1.0", "traceparent",
							"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
			assertThat(created.statusCode()).isEqualTo(201);
			assertThat(created.headers().firstValue("X-Correlation-ID")).contains("it-corr-1");
			String userId = JsonPath.read(created.body(), "$.user_id");

			HttpResponse<String> updated = service.send("PATCH", "/api/users/" + userId, "{\"name\":\"Zoë New\"}",
					Map.of("X-Correlation-ID", "it-corr-2"));
			assertThat(updated.statusCode()).isEqualTo(200);

			reader.readUntil((seen) -> seen.stream().filter((r) -> userId.equals(r.key())).count() >= 2,
					Duration.ofSeconds(60));
			// Two are there; a third (a resend) could still come until the
			// outbox is empty.
			service.awaitOutboxDrained(Duration.ofSeconds(60));
			List<ConsumerRecord<String, byte[]>> records = reader.readToEnd(Duration.ofSeconds(60));
			List<ConsumerRecord<String, byte[]>> mine = records.stream().filter((r) -> userId.equals(r.key())).toList();
			assertThat(mine).hasSize(2);

			ConsumerRecord<String, byte[]> signup = mine.get(0);
			UserSignupEvent event = UserSignupEvent.parseFrom(signup.value());
			Map<String, String> headers = UserEventsReader.headers(signup);
			assertThat(headers).containsEntry("ce_specversion", "1.0")
				.containsEntry("ce_id", event.getEventMetadata().getEventId())
				.containsEntry("ce_source", "/user-service")
				.containsEntry("ce_type", "polyglot.events.v1.UserSignupEvent")
				.containsEntry("content-type", "application/protobuf")
				.containsEntry("ce_correlationid", "it-corr-1")
				.containsEntry("ce_causationid", "");
			assertThat(headers.get("ce_time")).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
			assertThat(headers.get("traceparent")).matches("00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01");
			assertThat(event.getUserId()).isEqualTo(userId);
			assertThat(event.getEmail()).isEqualTo(email);
			assertThat(event.getName()).isEqualTo("Zoë Ĳssel 東京 🎉");
			assertThat(event.getPhoneNumber()).isEqualTo("+4930123456");
			assertThat(event.getSource()).isEqualTo(UserEvents.SignupSource.SIGNUP_SOURCE_MOBILE);
			assertThat(event.getMetadataMap()).containsEntry("ip_address", "127.0.0.1")
				.containsEntry("user_agent", "user-it/1.0");
			assertThat(event.getEventMetadata().getCorrelationId()).isEqualTo("it-corr-1");
			assertThat(event.getEventMetadata().getSourceService()).isEqualTo("user-service");

			ConsumerRecord<String, byte[]> update = mine.get(1);
			UserUpdatedEvent change = UserUpdatedEvent.parseFrom(update.value());
			assertThat(UserEventsReader.headers(update)).containsEntry("ce_type", "polyglot.events.v1.UserUpdatedEvent")
				.containsEntry("ce_correlationid", "it-corr-2")
				.containsEntry("ce_id", change.getEventMetadata().getEventId());
			assertThat(change.getUpdatedFieldsList()).containsExactly("name");
			assertThat(change.getName()).isEqualTo("Zoë New");
			assertThat(update.partition()).isEqualTo(signup.partition());
			assertThat(update.offset()).isGreaterThan(signup.offset());
		}
	}

	@Test
	void signupCommittedBeforeAKillIsPublishedOnceAfterTheRestart() throws Exception {
		String bootstrap = ServiceProcess.bootstrapServers();
		Path data = Files.createTempDirectory("user-it");
		try (ServiceProcess service = new ServiceProcess("it-crash", data);
				UserEventsReader reader = new UserEventsReader(bootstrap)) {
			// The relay is off: the sign-up commits its row and its outbox event, and
			// nothing is
			// published; SIGKILL then ends the process between commit and publication.
			service.start(bootstrap, "--polyglot.user.outbox.relay-enabled=false");
			HttpResponse<String> created = service.send("POST", "/api/users/signup",
					"{\"email\":\"" + unique("it.crash") + "\",\"name\":\"Crash Test\"}", Map.of());
			assertThat(created.statusCode()).isEqualTo(201);
			String userId = JsonPath.read(created.body(), "$.user_id");
			service.kill();

			service.start(bootstrap);
			assertThat(service.get("/api/users/" + userId).statusCode()).isEqualTo(200);
			// A later sign-up is published after the recovered one (outbox
			// order). Its record may be on another partition than the recovered
			// one's, and a resend could follow it, so the test reads on: once the
			// outbox is empty nothing more will be sent, and the topic is read to
			// its end.
			HttpResponse<String> marker = service.send("POST", "/api/users/signup",
					"{\"email\":\"" + unique("it.marker") + "\",\"name\":\"Marker\"}", Map.of());
			String markerId = JsonPath.read(marker.body(), "$.user_id");

			reader.readUntil((seen) -> seen.stream().anyMatch((r) -> markerId.equals(r.key())), Duration.ofSeconds(60));
			service.awaitOutboxDrained(Duration.ofSeconds(60));
			List<ConsumerRecord<String, byte[]>> records = reader.readToEnd(Duration.ofSeconds(60));

			assertThat(records).filteredOn((r) -> userId.equals(r.key())).singleElement().satisfies((r) -> {
				assertThat(UserSignupEvent.parseFrom(r.value()).getUserId()).isEqualTo(userId);
			});
		}
	}

}
