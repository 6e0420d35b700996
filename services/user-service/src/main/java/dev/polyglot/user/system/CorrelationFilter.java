package dev.polyglot.user.system;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request its {@link RequestTrace}: stored as a request attribute for the
 * controllers, put in the logging context as {@code correlation_id}, and echoed in the
 * {@code X-Correlation-ID} response header (also on error answers).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class CorrelationFilter extends OncePerRequestFilter {

	/** The header that carries a chain's correlation id. */
	public static final String CORRELATION_HEADER = "X-Correlation-ID";

	static final String MDC_KEY = "correlation_id";

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		RequestTrace trace = RequestTrace.fromHeaders(request.getHeader(CORRELATION_HEADER),
				request.getHeader("traceparent"));
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

}
