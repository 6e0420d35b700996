package dev.polyglot.user.it;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.jayway.jsonpath.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import polyglot.events.v1.UserEvents.UserUpdatedEvent;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The broker goes away: sign-ups and updates are still accepted and stored; when it is
 * back, their events go out, in order per user. The broker is a process of this test's
 * own (the run's shared broker must never be stopped).
 */
class BrokerOutageIT {

	@Test
	void changesDuringAnOutageArePublishedInOrderWhenTheBrokerIsBack() throws Exception {
		try (BrokerProcess broker = new BrokerProcess(Files.createTempDirectory("user-it-broker"));
				ServiceProcess service = new ServiceProcess("it-outage", Files.createTempDirectory("user-it"))) {
			broker.start();
			broker.createTopic("user-events", 3);
			service.start(broker.bootstrapServers());
			broker.stop();

			List<String> users = new ArrayList<>();
			for (int i = 0; i < 2; i++) {
				long started = System.nanoTime();
				HttpResponse<String> created = service.send("POST", "/api/users/signup",
						"{\"email\":\"outage-" + UUID.randomUUID().toString().substring(0, 8)
								+ "@example.com\",\"name\":\"Outage " + i + "\"}",
						Map.of());
				assertThat(created.statusCode()).isEqualTo(201);
				// The answer waits for the commit, not for the (absent) broker.
				assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
				String userId = JsonPath.read(created.body(), "$.user_id");
				users.add(userId);
				for (String name : List.of("First", "Second")) {
					assertThat(service
						.send("PATCH", "/api/users/" + userId, "{\"name\":\"" + name + " " + i + "\"}", Map.of())
						.statusCode()).isEqualTo(200);
				}
			}
			String health = service.get("/actuator/health").body();
			assertThat(JsonPath.<Integer>read(health, "$.components.outbox.details.backlog")).isEqualTo(6);

			broker.start();
			try (UserEventsReader reader = new UserEventsReader(broker.bootstrapServers())) {
				reader.seekToBeginning();
				reader.readUntil((seen) -> seen.size() >= 6, Duration.ofSeconds(90));
				// Six are there; until the backlog is 0 a row may still go out
				// again (a resend after a timed-out acknowledgement), so the topic
				// is read to its end only once the outbox is empty.
				service.awaitOutboxDrained(Duration.ofSeconds(30));
				List<ConsumerRecord<String, byte[]>> records = reader.readToEnd(Duration.ofSeconds(90));

				for (int i = 0; i < users.size(); i++) {
					String userId = users.get(i);
					List<ConsumerRecord<String, byte[]>> mine = records.stream()
						.filter((r) -> userId.equals(r.key()))
						.toList();
					assertThat(mine).extracting((r) -> UserEventsReader.headers(r).get("ce_type"))
						.containsExactly("polyglot.events.v1.UserSignupEvent", "polyglot.events.v1.UserUpdatedEvent",
								"polyglot.events.v1.UserUpdatedEvent");
					assertThat(UserUpdatedEvent.parseFrom(mine.get(1).value()).getName()).isEqualTo("First " + i);
					assertThat(UserUpdatedEvent.parseFrom(mine.get(2).value()).getName()).isEqualTo("Second " + i);
				}
			}
		}
	}

}
