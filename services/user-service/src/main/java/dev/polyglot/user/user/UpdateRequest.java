package dev.polyglot.user.user;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code PATCH /api/users/{id}}: absent (or null) fields stay as they are.
 *
 * @param name a new display name, 1 to 100 characters, not blank, no control characters
 * @param email a new e-mail address
 * @param phone a new E.164 phone number, or an empty string to remove it
 */
record UpdateRequest(
		@Size(min = 1, max = 100) @Pattern(regexp = "(?s).*\\S.*", message = "must not be blank") @Pattern(
				regexp = DisplayName.PRINTABLE, message = DisplayName.PRINTABLE_MESSAGE) String name,
		@Email @Size(min = 3, max = 254) String email, @Pattern(regexp = "|\\+[1-9][0-9]{1,14}",
				message = "must be an E.164 number such as +15551234567, or empty") String phone) {
}
