package dev.polyglot.user.events;

import java.util.HashMap;
import java.util.Map;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The producer span of each publication. The relay publishes after the request has
 * answered, in another thread, so the request's span is no longer current: the outbox row
 * keeps the request's {@code traceparent}, and the producer span is started as a
 * <em>child</em> of that context (not a link: Zipkin draws parent and child only, see
 * infra/zipkin/README.md). The record then carries the producer span's context in its
 * {@code traceparent} header, so consumers' spans hang under it, in the request's trace.
 * Without a tracer the record keeps the stored {@code traceparent}.
 */
@Component
class PublicationTracing {

	private final Tracer tracer;

	private final Propagator propagator;

	@Autowired
	PublicationTracing(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
		this(tracer.getIfAvailable(() -> Tracer.NOOP), propagator.getIfAvailable(() -> Propagator.NOOP));
	}

	private PublicationTracing(Tracer tracer, Propagator propagator) {
		this.tracer = tracer;
		this.propagator = propagator;
	}

	/** Publications without spans, for tests that do not look at traces. */
	static PublicationTracing disabled() {
		return new PublicationTracing(Tracer.NOOP, Propagator.NOOP);
	}

	/**
	 * Starts the producer span of one event, a child of the request that caused it.
	 * @param event the event about to be sent
	 * @return the span and the record to send, whose {@code traceparent} names the span
	 */
	Publication start(CloudEvent event) {
		Span span = this.propagator
			.extract(event, (carrier, key) -> CloudEventRecords.TRACEPARENT.equals(key) ? carrier.traceparent() : null)
			.name(event.topic() + " publish")
			.kind(Span.Kind.PRODUCER)
			.tag("messaging.system", "kafka")
			.tag("messaging.operation.type", "send")
			.tag("messaging.destination.name", event.topic())
			.tag("messaging.kafka.message.key", event.key())
			.tag("messaging.message.id", event.id())
			.tag("cloudevents.event_type", event.type())
			.tag("correlation_id", event.correlationId())
			.start();
		if (span.isNoop()) {
			return new Publication(span, CloudEventRecords.toRecord(event), this.tracer);
		}
		Map<String, String> carrier = new HashMap<>();
		this.propagator.inject(span.context(), carrier, Map::put);
		String traceparent = carrier.getOrDefault(CloudEventRecords.TRACEPARENT, event.traceparent());
		return new Publication(span, CloudEventRecords.toRecord(event.withTraceparent(traceparent)), this.tracer);
	}

	/**
	 * One event on its way to the broker: its record and its producer span, ended by
	 * {@link #acknowledged} or {@link #failed}.
	 *
	 * @param span the producer span
	 * @param record the record to send
	 * @param tracer the tracer that makes the span current for log lines
	 */
	record Publication(Span span, ProducerRecord<String, byte[]> record, Tracer tracer) {

		/**
		 * Ends the span with where the broker stored the record.
		 * @param stored the broker's acknowledgement
		 * @param whileCurrent runs with the span current, so its log lines carry the
		 * span's trace id
		 */
		void acknowledged(RecordMetadata stored, Runnable whileCurrent) {
			this.span.tag("messaging.destination.partition.id", String.valueOf(stored.partition()));
			this.span.tag("messaging.kafka.offset", String.valueOf(stored.offset()));
			try (Tracer.SpanInScope scope = this.tracer.withSpan(this.span)) {
				whileCurrent.run();
			}
			finally {
				this.span.end();
			}
		}

		/**
		 * Ends the span as failed.
		 * @param cause why the record was not acknowledged
		 */
		void failed(Throwable cause) {
			this.span.error(cause);
			this.span.end();
		}

	}

}
