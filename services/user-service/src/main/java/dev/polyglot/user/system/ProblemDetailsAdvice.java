package dev.polyglot.user.system;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.polyglot.user.user.DuplicateEmailException;
import dev.polyglot.user.user.UserNotFoundException;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.TypeMismatchException;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.UnsatisfiedServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.multipart.MultipartException;
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

	@Override
	protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
			HttpStatusCode statusCode, WebRequest request) {
		// Spring's own problems (405, 404, missing parameters...) have no type of ours.
		if (body == null && ex instanceof ErrorResponse errorResponse) {
			body = errorResponse.updateAndGetBody(getMessageSource(), LocaleContextHolder.getLocale());
		}
		if (body instanceof ProblemDetail problem && isBlankType(problem)) {
			HttpStatus status = HttpStatus.resolve(statusCode.value());
			String slug = (status != null) ? status.name().toLowerCase(Locale.ROOT).replace('_', '-')
					: "http-" + statusCode.value();
			problem.setType(URI.create(TYPE_BASE + slug));
			if (problem.getTitle() == null && status != null) {
				problem.setTitle(status.getReasonPhrase());
			}
			if (problem.getDetail() == null) {
				problem.setDetail((status != null) ? status.getReasonPhrase() : "Request failed");
			}
			if (statusCode.value() == 400
					&& (problem.getProperties() == null || !problem.getProperties().containsKey("errors"))) {
				problem.setProperty("errors", badFields(ex));
			}
		}
		return super.handleExceptionInternal(ex, body, headers, statusCode, request);
	}

	@Override
	protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "missing-parameter", "Missing parameter",
				"The query parameter '" + ex.getParameterName() + "' is required.");
		problem.setProperty("errors", List.of(Map.of("field", ex.getParameterName(), "message", "is required")));
		return handleExceptionInternal(ex, problem, headers, status, request);
	}

	@ExceptionHandler
	ProblemDetail invalidParameters(InvalidParameterException ex, HttpServletRequest request) {
		// Tomcat could not parse the query string (an empty name, bad %-encoding...):
		// name
		// the parameters it holds, or the query as a whole when none has a name.
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-query", "Invalid query string",
				"The query string could not be parsed into parameters.");
		String query = (request.getQueryString() != null) ? request.getQueryString() : "";
		List<Map<String, String>> errors = Arrays.stream(query.split("&"))
			.map((pair) -> decodedName(pair.split("=", 2)[0]))
			.filter((name) -> !name.isBlank())
			.distinct()
			.map((name) -> Map.of("field", name, "message", "unparsable query string"))
			.toList();
		problem.setProperty("errors",
				errors.isEmpty() ? List.of(Map.of("field", "query", "message", "unparsable query string")) : errors);
		return problem;
	}

	@ExceptionHandler
	ProblemDetail unreadableMultipart(MultipartException ex) {
		// No endpoint takes multipart; an unparsable one (no boundary) is just an
		// unusable body.
		ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "unsupported-content-type", "Unsupported content type",
				"The request body must be application/json.");
		problem.setProperty("errors", List.of(Map.of("field", "Content-Type", "message", "must be application/json")));
		return problem;
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

	/**
	 * A parameter's name as the client meant it; blank when it is not valid %-encoding.
	 */
	private static String decodedName(String raw) {
		try {
			return URLDecoder.decode(raw, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return "";
		}
	}

	private static boolean isBlankType(ProblemDetail problem) {
		return problem.getType() == null || "about:blank".equals(problem.getType().toString());
	}

	/** The fields a 400 from Spring itself is about; the body when nothing names one. */
	private static List<Map<String, String>> badFields(Exception ex) {
		if (ex instanceof UnsatisfiedServletRequestParameterException unsatisfied) {
			List<Map<String, String>> errors = unsatisfied.getParamConditionGroups()
				.stream()
				.flatMap((group) -> Arrays.stream(group))
				.map((condition) -> condition.replaceFirst("^!", "").replaceFirst("!?=.*$", ""))
				.distinct()
				.map((name) -> Map.of("field", name, "message", "is required or invalid"))
				.toList();
			if (!errors.isEmpty()) {
				return errors;
			}
		}
		if (ex instanceof MissingServletRequestParameterException missing) {
			return List.of(Map.of("field", missing.getParameterName(), "message", "is required"));
		}
		if (ex instanceof TypeMismatchException mismatch && mismatch.getPropertyName() != null) {
			return List.of(Map.of("field", mismatch.getPropertyName(), "message", "has the wrong type"));
		}
		return List.of(Map.of("field", "body", "message", "invalid request"));
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
