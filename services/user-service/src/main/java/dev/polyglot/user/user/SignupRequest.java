package dev.polyglot.user.user;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /api/users/signup}.
 *
 * @param email a valid e-mail address
 * @param name the display name, 1 to 100 characters, no control characters
 * @param phone an optional E.164 phone number
 * @param source an optional channel: web (default), mobile, api or social
 */
record SignupRequest(@NotBlank @Email @Size(max = 254) String email,
		@NotBlank @Size(max = 100) @Pattern(regexp = DisplayName.PRINTABLE,
				message = DisplayName.PRINTABLE_MESSAGE) String name,
		@Pattern(regexp = "\\+[1-9][0-9]{1,14}", message = "must be an E.164 number such as +15551234567") String phone,
		@Pattern(regexp = SignupSource.PATTERN, message = "must be one of web, mobile, api, social") String source) {
}
