package dev.polyglot.user.system;

import java.net.URI;
import java.util.List;
import java.util.Map;

import dev.polyglot.user.user.DuplicateEmailException;
import dev.polyglot.user.user.UserNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Answers every error as RFC 9457 problem details with a stable {@code type} URI;
 * validation errors add an {@code errors} list naming each bad field. No stack trace
 * leaves the service.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

	private static final String TYPE_BASE = "https://kafka-polyglot.dev/problems/";

	@Override
	protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<Map<String, String>> errors = ex.getBindingResult()
			.getFieldErrors()
			.stream()
			.map(ProblemDetailsAdvice::fieldError)
			.toList();
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "validation-error", "Invalid request",
				"The request has invalid fields: "
						+ String.join(", ", errors.stream().map((error) -> error.get("field")).distinct().toList()));
		problem.setProperty("errors", errors);
		return handleExceptionInternal(ex, problem, headers, status, request);
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		// The JSON reader wraps what the body-limit filter threw while the body was read.
		RequestBodyTooLargeException tooLarge = causeOfType(ex, RequestBodyTooLargeException.class);
		if (tooLarge != null) {
			return handleExceptionInternal(ex, bodyTooLarge(tooLarge), headers, HttpStatus.BAD_REQUEST, request);
		}
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "malformed-request", "Malformed request",
				"The request body is not valid JSON of the expected shape.");
		problem.setProperty("errors", List.of(Map.of("field", "body", "message", "malformed JSON")));
		return handleExceptionInternal(ex, problem, headers, status, request);
	}

	@Override
	protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		// 400 rather than 415: the contract answers every unusable request body alike.
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "unsupported-content-type", "Unsupported content type",
				"The request body must be application/json.");
		problem.setProperty("errors", List.of(Map.of("field", "Content-Type", "message", "must be application/json")));
		return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
	}

	@ExceptionHandler
	ProblemDetail bodyTooLarge(RequestBodyTooLargeException ex) {
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "body-too-large", "Request body too large",
				ex.getMessage());
		problem.setProperty("errors", List.of(Map.of("field", "body", "message", "too large")));
		return problem;
	}

	@ExceptionHandler
	ProblemDetail userNotFound(UserNotFoundException ex) {
		return problem(HttpStatus.NOT_FOUND, "user-not-found", "User not found", ex.getMessage());
	}

	@ExceptionHandler
	ProblemDetail duplicateEmail(DuplicateEmailException ex) {
		ProblemDetail problem = problem(HttpStatus.CONFLICT, "duplicate-email", "E-mail already registered",
				ex.getMessage());
		problem.setProperty("errors", List.of(Map.of("field", "email", "message", "already registered")));
		return problem;
	}

	@ExceptionHandler
	ProblemDetail unexpected(Exception ex) {
		log.atError().setMessage("request failed").addKeyValue("err", String.valueOf(ex)).setCause(ex).log();
		return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
				"The request failed unexpectedly.");
	}

	private static ProblemDetail problem(HttpStatus status, String type, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(URI.create(TYPE_BASE + type));
		problem.setTitle(title);
		return problem;
	}

	private static <T extends Throwable> T causeOfType(Throwable ex, Class<T> type) {
		for (Throwable cause = ex; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
		}
		return null;
	}

	private static Map<String, String> fieldError(FieldError error) {
		return Map.of("field", error.getField(), "message", String.valueOf(error.getDefaultMessage()));
	}

}
