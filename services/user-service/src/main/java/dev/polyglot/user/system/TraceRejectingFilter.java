package dev.polyglot.user.system;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Refuses TRACE on every path as a problem, before it reaches a servlet (which would echo
 * the request), and hands the refusal to {@link ProblemDetailsAdvice} like every other
 * refused method.
 */
class TraceRejectingFilter extends OncePerRequestFilter {

	private final HandlerExceptionResolver resolver;

	TraceRejectingFilter(HandlerExceptionResolver resolver) {
		this.resolver = resolver;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if ("TRACE".equalsIgnoreCase(request.getMethod())) {
			this.resolver.resolveException(request, response, null, new HttpRequestMethodNotSupportedException(
					request.getMethod(), List.of("GET", "HEAD", "POST", "PATCH")));
			return;
		}
		chain.doFilter(request, response);
	}

}
