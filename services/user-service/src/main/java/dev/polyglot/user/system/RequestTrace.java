package dev.polyglot.user.system;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The trace context of one HTTP request: the chain's correlation id (the caller's
 * {@code X-Correlation-ID}, or a new UUID) and the W3C trace it belongs to (the caller's
 * {@code traceparent} continued, or a new trace).
 *
 * @param correlationId the correlation id of the chain this request starts or continues
 * @param traceId 32 lower-case hex digits
 * @param spanId the span of this request (16 hex digits), the parent of the events it
 * causes; {@code null} when no tracer records one
 */
public record RequestTrace(String correlationId, String traceId, String spanId) {

	/**
	 * A trace without a recorded span of its own.
	 * @param correlationId the correlation id
	 * @param traceId the trace id
	 */
	public RequestTrace(String correlationId, String traceId) {
		this(correlationId, traceId, null);
	}

	/** The request attribute under which {@link CorrelationFilter} stores the trace. */
	public static final String ATTRIBUTE = "polyglot.requestTrace";

	// A correlation id travels in headers and logs: keep it short and printable.
	private static final Pattern CORRELATION_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

	private static final Pattern TRACEPARENT = Pattern
		.compile("^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$");

	private static final String INVALID_TRACE_ID = "0".repeat(32);

	private static final String INVALID_SPAN_ID = "0".repeat(16);

	private static final SecureRandom RANDOM = new SecureRandom();

	/**
	 * The trace of a request from its headers; absent or malformed values start afresh.
	 * @param correlationHeader the {@code X-Correlation-ID} header, or {@code null}
	 * @param traceparentHeader the {@code traceparent} header, or {@code null}
	 * @return the request's trace
	 */
	public static RequestTrace fromHeaders(String correlationHeader, String traceparentHeader) {
		return new RequestTrace(correlationId(correlationHeader), continuedTraceId(traceparentHeader));
	}

	/**
	 * The trace of a request whose span a tracer records (it has continued the caller's
	 * {@code traceparent} already).
	 * @param correlationHeader the {@code X-Correlation-ID} header, or {@code null}
	 * @param traceId the current span's trace id
	 * @param spanId the current span's id
	 * @return the request's trace
	 */
	public static RequestTrace fromSpan(String correlationHeader, String traceId, String spanId) {
		return new RequestTrace(correlationId(correlationHeader), traceId, spanId);
	}

	private static String correlationId(String header) {
		return (header != null && CORRELATION_ID.matcher(header.strip()).matches()) ? header.strip()
				: UUID.randomUUID().toString();
	}

	/**
	 * The {@code traceparent} of an event this request causes: its parent is the
	 * request's span when one is recorded (so the event hangs under the request in the
	 * trace), else a new span id in the same trace.
	 * @return {@code 00-<trace id>-<span id>-01}
	 */
	public String newSpanTraceparent() {
		return "00-" + this.traceId + "-" + ((this.spanId != null) ? this.spanId : randomHex(8)) + "-01";
	}

	private static String continuedTraceId(String traceparent) {
		if (traceparent != null) {
			var matcher = TRACEPARENT.matcher(traceparent.strip());
			if (matcher.matches() && !traceparent.startsWith("ff") && !INVALID_TRACE_ID.equals(matcher.group(1))
					&& !INVALID_SPAN_ID.equals(matcher.group(2))) {
				return matcher.group(1);
			}
		}
		return randomHex(16);
	}

	private static String randomHex(int bytes) {
		byte[] buffer = new byte[bytes];
		RANDOM.nextBytes(buffer);
		return HexFormat.of().formatHex(buffer);
	}

}
