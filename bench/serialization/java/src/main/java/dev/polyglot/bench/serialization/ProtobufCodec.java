package dev.polyglot.bench.serialization;

import com.google.protobuf.Message;
import com.google.protobuf.Parser;

/** protobuf-java: {@code toByteArray} and the generated class's parser. */
final class ProtobufCodec implements Codec {

	private final Message message;

	private final Parser<? extends Message> parser;

	ProtobufCodec(Message message) {
		this.message = message;
		this.parser = message.getParserForType();
	}

	@Override
	public Object value() {
		return this.message;
	}

	@Override
	public byte[] encode(Object value) {
		return ((Message) value).toByteArray();
	}

	@Override
	public Object decode(byte[] bytes) throws Exception {
		return this.parser.parseFrom(bytes);
	}

}
