package dev.polyglot.user.system;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests the servlet container itself objects to (an unparsable query string, a
 * multipart body without a boundary, TRACE) through the real web server: MockMvc has no
 * Tomcat to parse them. Raw HTTP, because a client library refuses to send some of them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "polyglot.user.outbox.relay-enabled=false",
				"polyglot.user.data-dir=target/test-data/${random.uuid}",
				"spring.kafka.bootstrap-servers=127.0.0.1:1" })
class BadRequestProblemTests {

	private static final String TYPE_BASE = "https://kafka-polyglot.dev/problems/";

	@LocalServerPort
	private int port;

	private record Response(int status, String contentType, String body) {
	}

	private Response send(String method, String target, List<String> headers, String body) throws Exception {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(20_000);
			StringBuilder request = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
					+ "Connection: close\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n");
			headers.forEach((header) -> request.append(header).append("\r\n"));
			request.append("\r\n").append(body);
			OutputStream out = socket.getOutputStream();
			out.write(request.toString().getBytes(StandardCharsets.UTF_8));
			out.flush();
			InputStream in = socket.getInputStream();
			String raw = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			String head = raw.substring(0, raw.indexOf("\r\n\r\n"));
			String contentType = head.lines()
				.filter((line) -> line.toLowerCase().startsWith("content-type:"))
				.map((line) -> line.substring("content-type:".length()).trim())
				.findFirst()
				.orElse("");
			String rest = raw.substring(raw.indexOf("\r\n\r\n") + 4);
			if (head.toLowerCase().contains("transfer-encoding: chunked")) {
				rest = rest.substring(rest.indexOf("\r\n") + 2, rest.lastIndexOf("\r\n0\r\n"));
			}
			return new Response(Integer.parseInt(head.split(" ")[1]), contentType, rest);
		}
	}

	private static void assertProblem(Response response, int status, String type) {
		assertThat(response.status()).as(response.body()).isEqualTo(status);
		assertThat(response.contentType()).as(response.body()).isNotNull();
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat((String) JsonPath.read(response.body(), "$.type")).isEqualTo(TYPE_BASE + type);
		assertThat((String) JsonPath.read(response.body(), "$.title")).isNotBlank();
		assertThat((String) JsonPath.read(response.body(), "$.detail")).isNotBlank();
		assertThat((Integer) JsonPath.read(response.body(), "$.status")).isEqualTo(status);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/api/users?=x", "/api/users?=0%zz" })
	void unparsableQueryStringIsABadRequestNamingTheQuery(String target) throws Exception {
		Response response = send("GET", target, List.of(), "");

		assertProblem(response, 400, "invalid-query");
		assertThat((List<String>) JsonPath.read(response.body(), "$.errors[*].field")).containsExactly("query");
	}

	@Test
	void unparsableQueryStringNamesTheParametersItHolds() throws Exception {
		Response response = send("GET", "/api/users?email=a&=b", List.of(), "");

		assertProblem(response, 400, "invalid-query");
		assertThat((List<String>) JsonPath.read(response.body(), "$.errors[*].field")).containsExactly("email");
	}

	@Test
	void multipartWithoutBoundaryIsAnUnsupportedBody() throws Exception {
		Response response = send("POST", "/api/users/signup", List.of("Content-Type: multipart/form-data"), "{}");

		assertProblem(response, 400, "unsupported-content-type");
		assertThat((List<String>) JsonPath.read(response.body(), "$.errors[*].field")).containsExactly("Content-Type");
	}

	@Test
	void missingEmailIsABadRequestNamingEmail() throws Exception {
		Response response = send("GET", "/api/users", List.of(), "");

		assertProblem(response, 400, "bad-request");
		assertThat((List<String>) JsonPath.read(response.body(), "$.errors[*].field")).containsExactly("email");
	}

	@ParameterizedTest
	@ValueSource(strings = { "/api/users/signup", "/api/users/00000000-0000-0000-0000-000000000000" })
	void unknownMethodIsAProblem(String target) throws Exception {
		assertProblem(send("QUERY", target, List.of(), ""), 405, "method-not-allowed");
	}

	@ParameterizedTest
	@ValueSource(strings = { "/api/users/signup", "/nowhere", "/actuator/health" })
	void traceIsAProblemOnEveryPath(String target) throws Exception {
		assertProblem(send("TRACE", target, List.of(), ""), 405, "method-not-allowed");
	}

}
