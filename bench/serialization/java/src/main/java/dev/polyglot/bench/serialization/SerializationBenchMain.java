package dev.polyglot.bench.serialization;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.annotations.Mode;

/**
 * Runs {@link SerializationBenchmark} with JMH and writes the results in the shared shape of
 * {@code bench/serialization/README.md}.
 * <p>
 * {@code java -jar target/serialization-bench.jar --root REPO --out results.json [--quick]}
 */
public final class SerializationBenchMain {

	private static final String[] FORMATS = { "protobuf", "json", "avro" };

	private SerializationBenchMain() {
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = parse(args);
		Path root = Path.of(options.getOrDefault("root", "../../..")).toAbsolutePath().normalize();
		Path out = Path.of(options.getOrDefault("out", "results.json"));
		boolean quick = options.containsKey("quick");
		Cases cases = new Cases(root);
		// --quick: a build check, on the first message only.
		List<String> messages = quick ? cases.messages().subList(0, 1) : cases.messages();

		// Short but sane on 2 cores: one fork per benchmark (60 JVMs), 3 x 200 ms warmup for the JIT,
		// 3 x 100 ms measured. --quick is a build check: one iteration of 10 ms each.
		int iterations = quick ? 1 : 3;
		TimeValue warmup = TimeValue.milliseconds(quick ? 10 : 200);
		TimeValue time = TimeValue.milliseconds(quick ? 10 : 100);
		ChainedOptionsBuilder builder = new OptionsBuilder().include(SerializationBenchmark.class.getName())
			.param("message", messages.toArray(String[]::new))
			.param("format", FORMATS)
			.mode(Mode.AverageTime)
			.timeUnit(TimeUnit.NANOSECONDS)
			.forks(1)
			.warmupIterations(iterations)
			.warmupTime(warmup)
			.measurementIterations(iterations)
			.measurementTime(time)
			.jvmArgsAppend("-Dpolyglot.root=" + root, "-Xms256m", "-Xmx256m")
			.shouldFailOnError(true);
		String settings = String.format("JMH avgt, fork 1, warmup %d x %s, measurement %d x %s, -Xmx256m", iterations,
				warmup, iterations, time);
		Collection<RunResult> runs = new Runner(builder.build()).run();

		Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
		for (String message : messages) {
			for (String format : FORMATS) {
				Codec codec = cases.codec(message, format);
				Map<String, Object> row = new LinkedHashMap<>();
				row.put("message", message);
				row.put("format", format);
				row.put("library", library(format));
				row.put("bytes", codec.encode(codec.value()).length);
				rows.put(message + "/" + format, row);
			}
		}
		for (RunResult run : runs) {
			var params = run.getParams();
			String op = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
			Map<String, Object> row = rows.get(params.getParam("message") + "/" + params.getParam("format"));
			row.put(op + "_ns", run.getPrimaryResult().getScore());
		}
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("language", "java");
		result.put("runtime", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
		result.put("harness", "JMH " + org.openjdk.jmh.util.Version.getPlainVersion());
		result.put("settings", settings);
		result.put("results", new ArrayList<>(rows.values()));
		Files.write(out, Cases.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(result));
	}

	private static String library(String format) {
		return switch (format) {
			case "protobuf" -> "protobuf-java " + com.google.protobuf.RuntimeVersion.MAJOR + "."
					+ com.google.protobuf.RuntimeVersion.MINOR + "." + com.google.protobuf.RuntimeVersion.PATCH;
			case "json" -> "Jackson " + tools.jackson.databind.cfg.PackageVersion.VERSION + " (records)";
			case "avro" -> "Apache Avro " + avroVersion() + " (GenericRecord)";
			default -> format;
		};
	}

	private static String avroVersion() {
		Properties versions = new Properties();
		try (var in = SerializationBenchMain.class.getResourceAsStream("/bench-versions.properties")) {
			versions.load(in);
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		return versions.getProperty("avro");
	}

	private static Map<String, String> parse(String[] args) {
		Map<String, String> options = new LinkedHashMap<>();
		for (int i = 0; i < args.length; i++) {
			String name = args[i].replaceFirst("^--", "");
			if (name.equals("quick")) {
				options.put(name, "true");
			}
			else if (i + 1 < args.length) {
				options.put(name, args[++i]);
			}
			else {
				throw new IllegalArgumentException("missing value for " + args[i]);
			}
		}
		return options;
	}

}
