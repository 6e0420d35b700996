package dev.polyglot.user.system;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Refuses oversized request bodies before anything reads them. It runs as an interceptor,
 * not a servlet filter, so that the refusal is answered by {@link ProblemDetailsAdvice}
 * like every other error.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(UserServiceProperties.class)
class WebConfiguration implements WebMvcConfigurer {

	private final UserServiceProperties properties;

	WebConfiguration(UserServiceProperties properties) {
		this.properties = properties;
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		long limit = this.properties.maxBodySize().toBytes();
		registry.addInterceptor(new HandlerInterceptor() {

			@Override
			public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
				long length = request.getContentLengthLong();
				if (length > limit) {
					throw new RequestBodyTooLargeException(length, limit);
				}
				return true;
			}

		}).addPathPatterns("/api/**");
	}

}
