package dev.polyglot.user.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A single-node KRaft broker of the test's own, as a separate {@code java kafka.Kafka}
 * process (the Kafka server classes come with spring-kafka-test), so that a test can stop
 * it and start it again on the same port and data: a real outage, without touching the
 * broker that the rest of the run shares.
 */
final class BrokerProcess implements AutoCloseable {

	private final Path dir;

	private final int port;

	private final Path properties;

	private Process process;

	BrokerProcess(Path dir) throws IOException, InterruptedException {
		this.dir = dir;
		this.port = ServiceProcess.freePort();
		int controllerPort = ServiceProcess.freePort();
		this.properties = dir.resolve("server.properties");
		Files
			.writeString(this.properties,
					String.join("\n", "process.roles=broker,controller", "node.id=1",
							"controller.quorum.voters=1@127.0.0.1:" + controllerPort,
							"listeners=PLAINTEXT://127.0.0.1:" + this.port + ",CONTROLLER://127.0.0.1:"
									+ controllerPort,
							"advertised.listeners=PLAINTEXT://127.0.0.1:" + this.port,
							"listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
							"inter.broker.listener.name=PLAINTEXT", "controller.listener.names=CONTROLLER",
							"log.dirs=" + dir.resolve("data"), "auto.create.topics.enable=false", "num.partitions=3",
							"offsets.topic.replication.factor=1", "offsets.topic.num.partitions=3",
							"transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1",
							"share.coordinator.state.topic.replication.factor=1",
							"share.coordinator.state.topic.min.isr=1", "group.initial.rebalance.delay.ms=0", ""));
		Process format = java("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c",
				this.properties.toString())
			.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("format.log").toFile()))
			.start();
		if (!format.waitFor(120, TimeUnit.SECONDS) || format.exitValue() != 0) {
			throw new IllegalStateException("kafka storage format failed; see " + dir.resolve("format.log"));
		}
	}

	private ProcessBuilder java(String mainClass, String... arguments) {
		List<String> command = new java.util.ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-cp",
						System.getProperty("java.class.path"), mainClass));
		command.addAll(List.of(arguments));
		return new ProcessBuilder(command).redirectErrorStream(true);
	}

	String bootstrapServers() {
		return "127.0.0.1:" + this.port;
	}

	/** Starts the broker (again) and waits until it answers a metadata request. */
	void start() throws IOException, InterruptedException {
		this.process = java("kafka.Kafka", this.properties.toString())
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.dir.resolve("broker.log").toFile()))
			.start();
		long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
		try (Admin admin = admin()) {
			while (true) {
				try {
					admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
					return;
				}
				catch (Exception ex) {
					if (!this.process.isAlive() || System.nanoTime() > deadline) {
						throw new IllegalStateException("test broker not up; see " + this.dir.resolve("broker.log"),
								ex);
					}
				}
			}
		}
	}

	void createTopic(String name, int partitions) throws Exception {
		try (Admin admin = admin()) {
			admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(60, TimeUnit.SECONDS);
		}
	}

	/** SIGTERM and wait: the broker shuts down cleanly, its port closes. */
	void stop() throws InterruptedException {
		if (this.process != null && this.process.isAlive()) {
			this.process.destroy();
			if (!this.process.waitFor(60, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
			}
		}
	}

	private Admin admin() {
		return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
				AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
				5000));
	}

	@Override
	public void close() throws InterruptedException {
		stop();
	}

}
