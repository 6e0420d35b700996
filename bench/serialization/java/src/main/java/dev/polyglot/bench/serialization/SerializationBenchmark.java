package dev.polyglot.bench.serialization;

import java.nio.file.Path;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Encode and decode of one message in one format per fork; {@link SerializationBenchMain} sets
 * the parameters from the message list and the measurement settings.
 */
@State(Scope.Benchmark)
public class SerializationBenchmark {

	/** Full protobuf name of the message (the main class passes the whole list). */
	@Param("polyglot.events.v1.UserSignupEvent")
	public String message;

	@Param({ "protobuf", "json", "avro" })
	public String format;

	private Codec codec;

	private Object value;

	private byte[] encoded;

	@Setup
	public void setUp() throws Exception {
		this.codec = new Cases(Path.of(System.getProperty("polyglot.root"))).codec(this.message, this.format);
		this.value = this.codec.value();
		this.encoded = this.codec.encode(this.value);
		// The harness measures what it claims: decoding its own encoding gives the value back.
		// Value equality in all three: generated messages, records, and GenericData.Record (which
		// compares Utf8 with String and maps as maps).
		if (!this.codec.decode(this.encoded).equals(this.value)) {
			throw new IllegalStateException(this.message + " " + this.format + ": decode(encode(x)) differs from x");
		}
	}

	@Benchmark
	public byte[] encode() throws Exception {
		return this.codec.encode(this.value);
	}

	@Benchmark
	public Object decode() throws Exception {
		return this.codec.decode(this.encoded);
	}

}
