package dev.polyglot.user.system;

import io.micrometer.core.instrument.Clock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Prometheus registry, without exemplars. With tracing on, Boot's own registry puts
 * the trace id as an exemplar on every timer's {@code _count}; the Prometheus the stack
 * runs (Debian's 2.42) accepts exemplars only on counters and histogram buckets and
 * rejects the whole scrape ("does not support exemplars"), which left user-service's
 * target down. Traces stay reachable from logs and events, which carry the trace id.
 */
@Configuration(proxyBeanMethods = false)
class PrometheusConfiguration {

	@Bean
	PrometheusMeterRegistry prometheusMeterRegistry(PrometheusConfig config, PrometheusRegistry registry, Clock clock) {
		return new PrometheusMeterRegistry(config, registry, clock, null);
	}

}
