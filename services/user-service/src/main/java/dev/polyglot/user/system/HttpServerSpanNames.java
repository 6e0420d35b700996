package dev.polyglot.user.system;

import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;

/**
 * Names each request's span {@code <METHOD> <route template>} (e.g.
 * {@code POST /api/users/signup}), the name every service of the system gives its server
 * spans (infra/zipkin/README.md); Spring's default is
 * {@code http post /api/users/signup}. Metric names and tags stay Spring's.
 */
@Component
class HttpServerSpanNames extends DefaultServerRequestObservationConvention {

	@Override
	public String getContextualName(ServerRequestObservationContext context) {
		String method = context.getCarrier().getMethod();
		String route = context.getPathPattern();
		return (route != null) ? method + " " + route : method;
	}

}
