package dev.polyglot.bench.serialization;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Message;
import org.apache.avro.Schema;
import polyglot.events.v1.AnalyticsEvents;
import polyglot.events.v1.NotificationEvents;
import polyglot.events.v1.OrderEvents;
import polyglot.events.v1.UserEvents;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the benchmark measures, read from the repository: the message list
 * ({@code bench/serialization/messages.json}), each message's vector in
 * {@code schemas/testdata/}, and its Avro schema.
 */
final class Cases {

	/** The generated outer classes of user-service's build that hold the listed messages. */
	private static final List<Class<?>> OUTER_CLASSES = List.of(UserEvents.class, OrderEvents.class,
			NotificationEvents.class, AnalyticsEvents.class);

	/** Absent fields stay absent, as in protobuf JSON (and in the other languages' JSON). */
	static final JsonMapper MAPPER = JsonMapper.builder()
		.changeDefaultPropertyInclusion((incl) -> incl.withValueInclusion(JsonInclude.Include.NON_NULL))
		.build();

	private final Path root;

	private final JsonNode spec;

	private final Schema.Parser avroParser = new Schema.Parser();

	Cases(Path root) throws IOException {
		this.root = root;
		this.spec = MAPPER.readTree(Files.readAllBytes(benchDir().resolve("messages.json")));
		for (JsonNode type : this.spec.get("named_types")) {
			this.avroParser.parse(avroFile(type.asString()).toFile());
		}
	}

	/** The message names, in the list's order. */
	List<String> messages() {
		List<String> names = new ArrayList<>();
		this.spec.get("messages").forEach((n) -> names.add(n.asString()));
		return names;
	}

	/** The codec of one message in one format: protobuf, json or avro. */
	Codec codec(String message, String format) throws Exception {
		Message proto = protoMessage(message);
		return switch (format) {
			case "protobuf" -> new ProtobufCodec(proto);
			case "json" -> new JacksonCodec(MAPPER, JsonMessages.forMessage(message), Files.readAllBytes(vector(message, ".json")));
			case "avro" -> {
				Schema schema = avroSchema(message);
				yield new AvroCodec(schema, AvroRecords.of(proto, schema));
			}
			default -> throw new IllegalArgumentException("unknown format " + format);
		};
	}

	private Message protoMessage(String fullName) throws Exception {
		String simple = fullName.substring(fullName.lastIndexOf('.') + 1);
		for (Class<?> outer : OUTER_CLASSES) {
			FileDescriptor file = (FileDescriptor) outer.getMethod("getDescriptor").invoke(null);
			if (fullName.equals(file.getPackage() + "." + simple) && file.findMessageTypeByName(simple) != null) {
				Class<?> type = Class.forName(outer.getName() + "$" + simple);
				Message prototype = (Message) type.getMethod("getDefaultInstance").invoke(null);
				return prototype.getParserForType().parseFrom(Files.readAllBytes(vector(fullName, ".binpb")));
			}
		}
		throw new IllegalArgumentException("no generated class for " + fullName);
	}

	private Schema avroSchema(String fullName) throws IOException {
		Schema known = this.avroParser.getTypes().get(fullName);
		return (known != null) ? known : this.avroParser.parse(avroFile(fullName).toFile());
	}

	private Path vector(String fullName, String suffix) {
		int dot = fullName.lastIndexOf('.');
		return this.root.resolve("schemas/testdata")
			.resolve(fullName.substring(0, dot))
			.resolve(fullName.substring(dot + 1))
			.resolve(this.spec.get("case").asString() + suffix);
	}

	private Path benchDir() {
		return this.root.resolve("bench/serialization");
	}

	private Path avroFile(String fullName) {
		return benchDir().resolve("avro").resolve(fullName + ".avsc");
	}

}
