package dev.polyglot.bench.serialization;

/** One format with its library: the value it encodes, and its encode and decode calls. */
interface Codec {

	/** The message in this format's in-memory form, ready to encode. */
	Object value();

	byte[] encode(Object value) throws Exception;

	Object decode(byte[] bytes) throws Exception;


}
