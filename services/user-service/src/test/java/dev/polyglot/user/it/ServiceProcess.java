package dev.polyglot.user.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;

/**
 * user-service as a real process: {@code java -jar} of the packaged jar, with its own
 * data directory and HTTP port, its output in {@code target/it-logs/}. Tests kill it with
 * SIGKILL or stop it with SIGTERM, and start it again on the same data.
 */
final class ServiceProcess implements AutoCloseable {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final String name;

	private final Path dataDir;

	private final int port;

	private Process process;

	/**
	 * Set when the run gives a PostgreSQL server (DATABASE_URL): a database of this
	 * service's own on it.
	 */
	private final String databaseUrl;

	ServiceProcess(String name, Path dataDir) throws IOException {
		this.name = name;
		this.dataDir = dataDir;
		this.port = freePort();
		this.databaseUrl = ownDatabase(System.getenv("DATABASE_URL"), name);
	}

	/**
	 * A new, empty database on the server of {@code serverUrl}, so that each service
	 * process of a test (and its restarts) has an outbox of its own, as with its own H2
	 * file.
	 */
	private static String ownDatabase(String serverUrl, String name) {
		if (serverUrl == null || serverUrl.isBlank()) {
			return null;
		}
		Matcher url = Pattern.compile("(jdbc:postgresql://[^/]+/)([^?]*)(.*)").matcher(serverUrl);
		if (!url.matches()) {
			throw new IllegalStateException("DATABASE_URL must be jdbc:postgresql://host:port/database[?...]");
		}
		String database = (name + "_" + UUID.randomUUID().toString().substring(0, 8)).replace('-', '_');
		try (Connection connection = DriverManager.getConnection(serverUrl);
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE " + database);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("cannot create database " + database, ex);
		}
		return url.group(1) + database + url.group(3);
	}

	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	static String bootstrapServers() {
		String servers = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
		if (servers == null || servers.isBlank()) {
			throw new IllegalStateException("KAFKA_BOOTSTRAP_SERVERS is not set: run these tests through "
					+ "./polyglot test --suite java-integration, which provides a broker");
		}
		return servers;
	}

	/**
	 * Starts the service and waits until it is healthy.
	 * @param bootstrapServers the broker(s) it publishes to
	 * @param arguments extra Spring arguments such as
	 * {@code --polyglot.user.outbox.relay-enabled=false}
	 */
	void start(String bootstrapServers, String... arguments) throws IOException, InterruptedException {
		String jar = System.getProperty("polyglot.jar", "target/user-service.jar");
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
						"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar));
		command.addAll(List.of(arguments));
		Path logs = Files.createDirectories(Path.of("target", "it-logs"));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(this.name + ".log").toFile()));
		builder.environment()
			.putAll(Map.of("HTTP_PORT", String.valueOf(this.port), "DATA_DIR", this.dataDir.toString(),
					"KAFKA_BOOTSTRAP_SERVERS", bootstrapServers));
		if (this.databaseUrl != null) {
			builder.environment().put("DATABASE_URL", this.databaseUrl);
		}
		this.process = builder.start();
		long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
		while (!healthy()) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(this.name + " exited with " + this.process.exitValue()
						+ "; see target/it-logs/" + this.name + ".log");
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(this.name + " not healthy within 120 s");
			}
			Thread.sleep(200);
		}
	}

	private boolean healthy() {
		try {
			return get("/actuator/health").statusCode() == 200;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * Waits until the outbox is empty (its backlog on {@code /actuator/health} is 0):
	 * every event written so far is acknowledged by the broker and marked sent, so none
	 * will be sent again. After it, what the topic holds is all there will be of them.
	 * @param timeout how long at most
	 */
	void awaitOutboxDrained(Duration timeout) throws IOException, InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			Number backlog = JsonPath.read(get("/actuator/health").body(), "$.components.outbox.details.backlog");
			if (backlog.longValue() == 0) {
				return;
			}
			if (System.nanoTime() > deadline) {
				throw new AssertionError(this.name + ": outbox backlog " + backlog + ", not drained within " + timeout);
			}
			Thread.sleep(200);
		}
	}

	/** SIGKILL: no shutdown hook, no relay drain, nothing flushed. */
	void kill() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor(30, TimeUnit.SECONDS);
	}

	@Override
	public void close() throws InterruptedException {
		if (this.process != null && this.process.isAlive()) {
			this.process.destroy();
			if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}
	}

	HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	HttpResponse<String> send(String method, String path, String json, Map<String, String> headers)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json")
			.method(method, HttpRequest.BodyPublishers.ofString(json));
		headers.forEach(request::header);
		return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

}
