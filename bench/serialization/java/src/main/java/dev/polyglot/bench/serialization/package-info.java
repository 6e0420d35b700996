/**
 * The Java harness of the serialization benchmark: JMH measures protobuf (user-service's
 * generated classes), JSON (Jackson, into records) and Avro (Apache Avro, generic records) on
 * the test vectors of the messages listed in {@code bench/serialization/messages.json}.
 */
package dev.polyglot.bench.serialization;
