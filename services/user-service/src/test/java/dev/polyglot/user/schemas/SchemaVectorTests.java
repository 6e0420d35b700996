package dev.polyglot.user.schemas;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DiscardUnknownFieldsParser;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import polyglot.common.v1.Metadata;
import polyglot.common.v1.MoneyOuterClass;
import polyglot.events.v1.AnalyticsEvents;
import polyglot.events.v1.NotificationEvents;
import polyglot.events.v1.OrderEvents;
import polyglot.events.v1.UserEvents;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared test vectors of {@code schemas/testdata} against protobuf-java, by the rules
 * of its README: binary round trip, JSON decodes to the same message, JSON encodes to the
 * same bytes, and forward compatibility of {@code future-*} cases. Byte comparison gives
 * way to message equality only where a message holds a map with more than one entry,
 * whose order on the wire the spec leaves open.
 */
class SchemaVectorTests {

	/** The generated outer classes: every message type is found in them by reflection. */
	private static final List<Class<?>> GENERATED = List.of(Metadata.class, MoneyOuterClass.class, UserEvents.class,
			OrderEvents.class, NotificationEvents.class, AnalyticsEvents.class);

	private static final Map<String, Message> TYPES = messageTypes();

	@TestFactory
	Stream<DynamicTest> everyVectorFollowsTheRules() throws IOException {
		Path root = testdata();
		List<Path> vectors;
		try (Stream<Path> files = Files.walk(root)) {
			vectors = files.filter((file) -> file.getFileName().toString().endsWith(".binpb"))
				.filter((file) -> root.relativize(file).getName(0).toString().startsWith("polyglot."))
				.sorted()
				.toList();
		}
		assertThat(vectors).as("vectors under %s", root).isNotEmpty();
		return vectors.stream().map((vector) -> {
			Path rel = root.relativize(vector);
			String type = rel.getName(0) + "." + rel.getName(1);
			return DynamicTest.dynamicTest(rel.toString(), () -> check(type, vector));
		});
	}

	private static void check(String typeName, Path binaryFile) throws Exception {
		Message prototype = TYPES.get(typeName);
		assertThat(prototype).as("generated Java class for %s", typeName).isNotNull();
		String fileName = binaryFile.getFileName().toString();
		boolean future = fileName.startsWith("future-");
		byte[] binary = Files.readAllBytes(binaryFile);
		String json = Files.readString(binaryFile.resolveSibling(fileName.replace(".binpb", ".json")),
				StandardCharsets.UTF_8);

		// Rule 1 (and rule 4 for future-* cases: unknown fields survive the re-encode).
		Message decoded = prototype.getParserForType().parseFrom(binary);
		assertSameEncoding(decoded, binary, "binary round trip");
		if (future) {
			assertThat(decoded.toByteArray()).as("future case keeps its unknown fields").isEqualTo(binary);
		}

		// Rule 2: the JSON twin is the same message (without unknown fields for future-*
		// cases).
		Message.Builder fromJson = prototype.newBuilderForType();
		JsonFormat.parser().merge(json, fromJson);
		Message expected = future ? DiscardUnknownFieldsParser.wrap(prototype.getParserForType()).parseFrom(binary)
				: decoded;
		assertThat(fromJson.build()).as("JSON decodes to the binary's message").isEqualTo(expected);

		// Rule 3: encoding the JSON's message gives the binary.
		if (!future) {
			assertSameEncoding(fromJson.build(), binary, "JSON encodes to the binary");
		}
	}

	private static void assertSameEncoding(Message message, byte[] expected, String rule) throws Exception {
		byte[] encoded = message.toByteArray();
		if (hasMultiEntryMap(message)) {
			Message reparsed = message.getParserForType().parseFrom(encoded);
			assertThat(reparsed).as(rule + " (map order free: compared as messages)")
				.isEqualTo(message.getParserForType().parseFrom(expected));
		}
		else {
			assertThat(ByteString.copyFrom(encoded)).as(rule).isEqualTo(ByteString.copyFrom(expected));
		}
	}

	private static boolean hasMultiEntryMap(Message message) {
		for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
			FieldDescriptor descriptor = field.getKey();
			if (descriptor.isMapField() && ((List<?>) field.getValue()).size() > 1) {
				return true;
			}
			if (descriptor.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
				List<?> values = descriptor.isRepeated() ? (List<?>) field.getValue() : List.of(field.getValue());
				for (Object value : values) {
					if (hasMultiEntryMap((Message) value)) {
						return true;
					}
				}
			}
		}
		return false;
	}

	private static Map<String, Message> messageTypes() {
		Map<String, Message> types = new HashMap<>();
		for (Class<?> outer : GENERATED) {
			for (Class<?> nested : outer.getDeclaredClasses()) {
				if (Message.class.isAssignableFrom(nested)) {
					try {
						Message instance = (Message) nested.getMethod("getDefaultInstance").invoke(null);
						types.put(instance.getDescriptorForType().getFullName(), instance);
					}
					catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException ex) {
						throw new IllegalStateException("not a generated message: " + nested, ex);
					}
				}
			}
		}
		return types;
	}

	private static Path testdata() {
		String schemas = System.getProperty("polyglot.schemas.dir", "../../schemas");
		return Path.of(schemas, "testdata").toAbsolutePath().normalize();
	}

}
