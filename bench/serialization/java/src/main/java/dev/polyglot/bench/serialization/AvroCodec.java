package dev.polyglot.bench.serialization;

import java.io.ByteArrayOutputStream;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;

/**
 * Apache Avro, generic records (no generated classes): a datum writer and reader per schema,
 * the encoder and decoder reused between calls as the Avro docs advise.
 */
final class AvroCodec implements Codec {

	private final GenericRecord record;

	private final GenericDatumWriter<GenericRecord> writer;

	private final GenericDatumReader<GenericRecord> reader;

	private final ByteArrayOutputStream out = new ByteArrayOutputStream(1024);

	private BinaryEncoder encoder;

	private BinaryDecoder decoder;

	AvroCodec(Schema schema, GenericRecord record) {
		this.record = record;
		this.writer = new GenericDatumWriter<>(schema);
		this.reader = new GenericDatumReader<>(schema);
	}

	@Override
	public Object value() {
		return this.record;
	}

	@Override
	public byte[] encode(Object value) throws Exception {
		this.out.reset();
		this.encoder = EncoderFactory.get().binaryEncoder(this.out, this.encoder);
		this.writer.write((GenericRecord) value, this.encoder);
		this.encoder.flush();
		return this.out.toByteArray();
	}

	@Override
	public Object decode(byte[] bytes) throws Exception {
		this.decoder = DecoderFactory.get().binaryDecoder(bytes, this.decoder);
		return this.reader.read(null, this.decoder);
	}

}
