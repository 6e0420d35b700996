package dev.polyglot.user.user;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import dev.polyglot.user.system.RequestTrace;

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

	@PostMapping(path = "/signup", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<SignupResponse> signup(@Valid @RequestBody SignupRequest body,
			@RequestAttribute(RequestTrace.ATTRIBUTE) RequestTrace trace, HttpServletRequest request) {
		Map<String, String> requestMetadata = new LinkedHashMap<>();
		requestMetadata.put("ip_address", request.getRemoteAddr());
		String userAgent = request.getHeader(HttpHeaders.USER_AGENT);
		requestMetadata.put("user_agent", (userAgent != null) ? userAgent : "");
		User user = this.users.signup(body, trace, requestMetadata);
		return ResponseEntity.created(URI.create("/api/users/" + user.id()))
			.body(new SignupResponse(user.id(), user.email(), trace.correlationId()));
	}

	@PatchMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
	UserResponse update(@PathVariable String id, @Valid @RequestBody UpdateRequest body,
			@RequestAttribute(RequestTrace.ATTRIBUTE) RequestTrace trace) {
		return UserResponse.from(this.users.update(id, body, trace));
	}

	@GetMapping("/{id}")
	UserResponse get(@PathVariable String id) {
		return UserResponse.from(this.users.get(id));
	}

	@GetMapping(params = "email")
	UserResponse getByEmail(@RequestParam String email) {
		return UserResponse.from(this.users.getByEmail(email));
	}

}
