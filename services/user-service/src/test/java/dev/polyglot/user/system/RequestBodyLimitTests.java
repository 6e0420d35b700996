package dev.polyglot.user.system;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bodies sent without a length ({@code Transfer-Encoding: chunked}) through the real web
 * server: MockMvc always knows a body's length, so only a real request shows that an
 * oversized chunked body is refused while it is read.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "polyglot.user.outbox.relay-enabled=false",
				"polyglot.user.data-dir=target/test-data/${random.uuid}",
				"spring.kafka.bootstrap-servers=127.0.0.1:1" })
class RequestBodyLimitTests {

	@LocalServerPort
	private int port;

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	/** A body of unknown length: the client sends it chunked. */
	private HttpResponse<String> postChunked(String body) throws Exception {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/users/signup"))
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(20))
			.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)))
			.build();
		return this.client.send(request, HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void oversizedChunkedBodyIsAProblemNamingTheLimit() throws Exception {
		HttpResponse<String> response = postChunked(
				"{\"email\":\"chunked-big@example.com\",\"name\":\"" + "x".repeat(40_000) + "\"}");

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat((String) JsonPath.read(response.body(), "$.type"))
			.isEqualTo("https://kafka-polyglot.dev/problems/body-too-large");
		assertThat((String) JsonPath.read(response.body(), "$.detail")).contains("at most 16384");
		assertThat((String) JsonPath.read(response.body(), "$.errors[0].field")).isEqualTo("body");
		assertThat(response.body()).doesNotContain("Exception").doesNotContain("at dev.polyglot");
	}

	@Test
	void chunkedBodyWithinTheLimitIsAccepted() throws Exception {
		HttpResponse<String> response = postChunked("{\"email\":\"chunked-small@example.com\",\"name\":\"Chunked\"}");

		assertThat(response.statusCode()).isEqualTo(201);
	}

}
