package dev.polyglot.bench.serialization;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Turns a protobuf message into the generic record of its Avro schema: the schemas in
 * {@code bench/serialization/avro/} carry the .proto field names, enums by symbol, and a
 * nullable union for every message field.
 */
final class AvroRecords {

	private AvroRecords() {
	}

	static GenericRecord of(Message message, Schema schema) {
		GenericData.Record record = new GenericData.Record(schema);
		for (Schema.Field avroField : schema.getFields()) {
			FieldDescriptor field = message.getDescriptorForType().findFieldByName(avroField.name());
			if (field == null) {
				throw new IllegalArgumentException(schema.getFullName() + "." + avroField.name() + " is not in the .proto");
			}
			Schema fieldSchema = nonNull(avroField.schema());
			Object value;
			if (field.isMapField()) {
				Map<String, Object> map = new LinkedHashMap<>();
				for (Object entry : (List<?>) message.getField(field)) {
					Message e = (Message) entry;
					FieldDescriptor key = e.getDescriptorForType().findFieldByName("key");
					FieldDescriptor val = e.getDescriptorForType().findFieldByName("value");
					map.put((String) e.getField(key), single(val, e.getField(val), fieldSchema.getValueType()));
				}
				value = map;
			}
			else if (field.isRepeated()) {
				List<Object> list = new ArrayList<>();
				for (Object item : (List<?>) message.getField(field)) {
					list.add(single(field, item, fieldSchema.getElementType()));
				}
				value = list;
			}
			else if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !message.hasField(field)) {
				value = null;
			}
			else {
				value = single(field, message.getField(field), fieldSchema);
			}
			record.put(avroField.name(), value);
		}
		return record;
	}

	private static Object single(FieldDescriptor field, Object value, Schema schema) {
		return switch (field.getJavaType()) {
			case MESSAGE -> of((Message) value, nonNull(schema));
			case ENUM -> new GenericData.EnumSymbol(schema, ((EnumValueDescriptor) value).getName());
			default -> value;
		};
	}

	/** The record of a ["null", record] union. */
	private static Schema nonNull(Schema schema) {
		if (schema.getType() != Schema.Type.UNION) {
			return schema;
		}
		return schema.getTypes().stream().filter((s) -> s.getType() != Schema.Type.NULL).findFirst().orElseThrow();
	}

}
