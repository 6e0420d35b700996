package dev.polyglot.user.system;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The shape of every error answer, as {@link ProblemDetailsAdvice} writes it (RFC 9457
 * {@code application/problem+json}): for the OpenAPI document only.
 *
 * @param type a stable URI naming the kind of problem
 * @param title a short summary of the kind
 * @param status the HTTP status
 * @param detail what went wrong with this request
 * @param instance the request path
 * @param errors the bad fields, on validation errors
 */
@Schema(name = "Problem", description = "RFC 9457 problem details")
public record ApiProblem(
		@Schema(example = "https://kafka-polyglot.dev/problems/validation-error",
				requiredMode = Schema.RequiredMode.REQUIRED) String type,
		@Schema(example = "Invalid request", requiredMode = Schema.RequiredMode.REQUIRED) String title,
		@Schema(example = "400", requiredMode = Schema.RequiredMode.REQUIRED) int status,
		@Schema(example = "The request has invalid fields: email",
				requiredMode = Schema.RequiredMode.REQUIRED) String detail,
		@Schema(example = "/api/users/signup") String instance, List<FieldProblem> errors) {

	/**
	 * One bad field.
	 *
	 * @param field the field (a JSON property, {@code body} or {@code Content-Type})
	 * @param message what is wrong with it
	 */
	@Schema(name = "FieldProblem")
	public record FieldProblem(@Schema(example = "email", requiredMode = Schema.RequiredMode.REQUIRED) String field,
			@Schema(example = "must be a well-formed email address",
					requiredMode = Schema.RequiredMode.REQUIRED) String message) {
	}

}
