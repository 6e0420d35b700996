package dev.polyglot.user.system;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.slf4j.MDC;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request its {@link RequestTrace}: stored as a request attribute for the
 * controllers, put in the logging context as {@code correlation_id}, and echoed in the
 * {@code X-Correlation-ID} response header (also on error answers). It runs after the
 * observation filter, so the request's span (which continued the caller's
 * {@code traceparent}) is current; without a tracer it reads {@code traceparent} itself.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class CorrelationFilter extends OncePerRequestFilter {

	/** The header that carries a chain's correlation id. */
	public static final String CORRELATION_HEADER = "X-Correlation-ID";

	static final String MDC_KEY = "correlation_id";

	private final ObjectProvider<Tracer> tracer;

	public CorrelationFilter(ObjectProvider<Tracer> tracer) {
		this.tracer = tracer;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		RequestTrace trace = requestTrace(request);
		request.setAttribute(RequestTrace.ATTRIBUTE, trace);
		response.setHeader(CORRELATION_HEADER, trace.correlationId());
		MDC.put(MDC_KEY, trace.correlationId());
		try {
			chain.doFilter(request, response);
		}
		finally {
			MDC.remove(MDC_KEY);
		}
	}

	private RequestTrace requestTrace(HttpServletRequest request) {
		String correlation = request.getHeader(CORRELATION_HEADER);
		Tracer current = this.tracer.getIfAvailable();
		Span span = (current != null) ? current.currentSpan() : null;
		if (span != null && !span.isNoop()) {
			return RequestTrace.fromSpan(correlation, span.context().traceId(), span.context().spanId());
		}
		return RequestTrace.fromHeaders(correlation, request.getHeader("traceparent"));
	}

}
