package dev.polyglot.user.system;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
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
