package dev.polyglot.bench.serialization;

import tools.jackson.databind.json.JsonMapper;

/** Jackson: the vector's protobuf JSON read into a plain record, written back as compact UTF-8. */
final class JacksonCodec implements Codec {

	private final JsonMapper mapper;

	private final Class<?> type;

	private final Object value;

	JacksonCodec(JsonMapper mapper, Class<?> type, byte[] json) {
		this.mapper = mapper;
		this.type = type;
		this.value = mapper.readValue(json, type);
	}

	@Override
	public Object value() {
		return this.value;
	}

	@Override
	public byte[] encode(Object value) {
		return this.mapper.writeValueAsBytes(value);
	}

	@Override
	public Object decode(byte[] bytes) {
		return this.mapper.readValue(bytes, this.type);
	}

}
