package dev.polyglot.user.system;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import org.springdoc.core.customizers.OperationCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document at {@code /v3/api-docs}: each operation's answers are declared on
 * the controller (springdoc's generic answers from the exception handlers are off, they
 * would list every error on every operation); the headers every request may carry and
 * every answer carries are added here once.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	@Bean
	OpenAPI userServiceOpenApi(UserServiceProperties properties) {
		return new OpenAPI().info(new Info().title("user-service")
			.version(properties.version())
			.description("Kafka Polyglot user-service: sign-ups and profile changes, each published on user-events "
					+ "through a transactional outbox. Errors are RFC 9457 application/problem+json."));
	}

	@Bean
	OperationCustomizer traceHeaders() {
		return (operation, handler) -> {
			if (!handler.getBeanType().getPackageName().startsWith("dev.polyglot.user")) {
				return operation;
			}
			operation.addParametersItem(new HeaderParameter().name(CorrelationFilter.CORRELATION_HEADER)
				.description("The chain's correlation id, kept and echoed; a new UUID when absent or unusable")
				.schema(new StringSchema().pattern("^[A-Za-z0-9._:-]{1,128}$")));
			operation.addParametersItem(new HeaderParameter().name("traceparent")
				.description("W3C trace context, continued by the request and its events; a new trace when absent")
				.schema(new StringSchema().pattern("^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$")));
			operation.getResponses()
				.values()
				.forEach((response) -> response.addHeaderObject(CorrelationFilter.CORRELATION_HEADER,
						new Header().description("The request's correlation id").schema(new StringSchema())));
			return operation;
		};
	}

}
