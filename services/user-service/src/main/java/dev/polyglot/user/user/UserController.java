package dev.polyglot.user.user;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import dev.polyglot.user.system.ApiProblem;
import dev.polyglot.user.system.RequestTrace;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.responses.ApiResponses;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The users API: sign-up, profile changes and look-ups. Errors are answered by the
 * problem-details advice.
 */
@RestController
@RequestMapping(path = "/api/users", produces = MediaType.APPLICATION_JSON_VALUE)
class UserController {

	private final UserService users;

	UserController(UserService users) {
		this.users = users;
	}

	@Operation(summary = "Sign a user up",
			description = "Stores the user and its UserSignupEvent in one transaction; "
					+ "the event goes to user-events after the commit.")
	@ApiResponses({ @ApiResponse(responseCode = "201", description = "Signed up"), @ApiResponse(responseCode = "400",
			description = "Invalid fields, malformed JSON, a content type other than application/json, or a body over 16 KB",
			content = @Content(mediaType = "application/problem+json",
					schema = @Schema(implementation = ApiProblem.class))),
			@ApiResponse(responseCode = "409",
					description = "The e-mail address is taken (compared case-insensitively)",
					content = @Content(mediaType = "application/problem+json",
							schema = @Schema(implementation = ApiProblem.class))),
			@ApiResponse(responseCode = "500", description = "Unexpected failure, without internals",
					content = @Content(mediaType = "application/problem+json",
							schema = @Schema(implementation = ApiProblem.class))) })
	@PostMapping(path = "/signup", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<SignupResponse> signup(@Valid @RequestBody SignupRequest body,
			@Parameter(hidden = true) @RequestAttribute(RequestTrace.ATTRIBUTE) RequestTrace trace,
			HttpServletRequest request) {
		Map<String, String> requestMetadata = new LinkedHashMap<>();
		requestMetadata.put("ip_address", request.getRemoteAddr());
		String userAgent = request.getHeader(HttpHeaders.USER_AGENT);
		requestMetadata.put("user_agent", (userAgent != null) ? userAgent : "");
		User user = this.users.signup(body, trace, requestMetadata);
		return ResponseEntity.created(URI.create("/api/users/" + user.id()))
			.body(new SignupResponse(user.id(), user.email(), trace.correlationId()));
	}

	@Operation(summary = "Change a user's profile",
			description = "Publishes a UserUpdatedEvent naming exactly the "
					+ "changed fields; nothing changed, no event.")
	@ApiResponses({ @ApiResponse(responseCode = "200", description = "The user after the change"), @ApiResponse(
			responseCode = "400",
			description = "Invalid fields, malformed JSON, a content type other than application/json, or a body over 16 KB",
			content = @Content(mediaType = "application/problem+json",
					schema = @Schema(implementation = ApiProblem.class))),
			@ApiResponse(responseCode = "404", description = "No user with this id",
					content = @Content(mediaType = "application/problem+json",
							schema = @Schema(implementation = ApiProblem.class))),
			@ApiResponse(responseCode = "409", description = "The new e-mail address belongs to another user",
					content = @Content(mediaType = "application/problem+json",
							schema = @Schema(implementation = ApiProblem.class))),
			@ApiResponse(responseCode = "500", description = "Unexpected failure, without internals",
					content = @Content(mediaType = "application/problem+json",
							schema = @Schema(implementation = ApiProblem.class))) })
	@PatchMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
	UserResponse update(@PathVariable String id, @Valid @RequestBody UpdateRequest body,
			@Parameter(hidden = true) @RequestAttribute(RequestTrace.ATTRIBUTE) RequestTrace trace) {
		return UserResponse.from(this.users.update(id, body, trace));
	}

	@Operation(summary = "A user by id")
	@ApiResponses({ @ApiResponse(responseCode = "200", description = "The user"),
			@ApiResponse(responseCode = "404", description = "No user with this id",
					content = @Content(mediaType = "application/problem+json",
							schema = @Schema(implementation = ApiProblem.class))),
			@ApiResponse(responseCode = "500", description = "Unexpected failure, without internals",
					content = @Content(mediaType = "application/problem+json",
							schema = @Schema(implementation = ApiProblem.class))) })
	@GetMapping("/{id}")
	UserResponse get(@PathVariable String id) {
		return UserResponse.from(this.users.get(id));
	}

	@Operation(summary = "A user by e-mail address (compared case-insensitively)")
	@ApiResponses({ @ApiResponse(responseCode = "200", description = "The user"),
			@ApiResponse(responseCode = "404", description = "No user with this e-mail address",
					content = @Content(mediaType = "application/problem+json",
							schema = @Schema(implementation = ApiProblem.class))),
			@ApiResponse(responseCode = "500", description = "Unexpected failure, without internals",
					content = @Content(mediaType = "application/problem+json",
							schema = @Schema(implementation = ApiProblem.class))) })
	@GetMapping(params = "email")
	UserResponse getByEmail(@RequestParam String email) {
		return UserResponse.from(this.users.getByEmail(email));
	}

}
