package dev.polyglot.user.system;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Refuses oversized request bodies: one that declares its length before anything reads it
 * (an interceptor, not a servlet filter, so that the refusal is answered by
 * {@link ProblemDetailsAdvice} like every other error), one without a length as soon as
 * reading it passes the limit ({@link RequestBodyLimitFilter}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(UserServiceProperties.class)
class WebConfiguration implements WebMvcConfigurer {

	private final UserServiceProperties properties;

	WebConfiguration(UserServiceProperties properties) {
		this.properties = properties;
	}

	@Bean
	FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter() {
		FilterRegistrationBean<RequestBodyLimitFilter> registration = new FilterRegistrationBean<>(
				new RequestBodyLimitFilter(this.properties.maxBodySize().toBytes()));
		registration.addUrlPatterns("/api/*");
		return registration;
	}

	@Bean
	FilterRegistrationBean<TraceRejectingFilter> traceRejectingFilter(
			@Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver) {
		FilterRegistrationBean<TraceRejectingFilter> registration = new FilterRegistrationBean<>(
				new TraceRejectingFilter(resolver));
		registration.addUrlPatterns("/*");
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

	/**
	 * Lets TRACE through the connector (which would refuse it with the container's error
	 * page) so that {@link TraceRejectingFilter} answers it as a problem; no TRACE ever
	 * reaches a servlet.
	 */
	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> traceThroughConnector() {
		return (factory) -> factory.addConnectorCustomizers((connector) -> connector.setAllowTrace(true));
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		long limit = this.properties.maxBodySize().toBytes();
		registry.addInterceptor(new HandlerInterceptor() {

			@Override
			public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
				long length = request.getContentLengthLong();
				if (length > limit) {
					throw RequestBodyTooLargeException.declared(length, limit);
				}
				return true;
			}

		}).addPathPatterns("/api/**");
	}

}
