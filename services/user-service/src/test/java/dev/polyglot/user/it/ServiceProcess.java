package dev.polyglot.user.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * user-service as a real process: {@code java -jar} of the packaged jar, with its own data
 * directory and HTTP port, its output in {@code target/it-logs/}. Tests kill it with SIGKILL
 * or stop it with SIGTERM, and start it again on the same data.
 */
final class ServiceProcess implements AutoCloseable {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final String name;

	private final Path dataDir;

	private final int port;

	private Process process;

	ServiceProcess(String name, Path dataDir) throws IOException {
		this.name = name;
		this.dataDir = dataDir;
		this.port = freePort();
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
	 * @param arguments extra Spring arguments such as {@code --polyglot.user.outbox.relay-enabled=false}
	 */
	void start(String bootstrapServers, String... arguments) throws IOException, InterruptedException {
		String jar = System.getProperty("polyglot.jar", "target/user-service.jar");
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar));
		command.addAll(List.of(arguments));
		Path logs = Files.createDirectories(Path.of("target", "it-logs"));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(this.name + ".log").toFile()));
		builder.environment()
			.putAll(Map.of("HTTP_PORT", String.valueOf(this.port), "DATA_DIR", this.dataDir.toString(),
					"KAFKA_BOOTSTRAP_SERVERS", bootstrapServers));
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
