package dev.polyglot.user.user;

import java.time.Instant;

/**
 * A user as the API shows it.
 *
 * @param userId the user id
 * @param email the e-mail address
 * @param name the display name
 * @param phone the phone number, or {@code null}
 * @param source the sign-up channel
 * @param createdAt when the user signed up
 * @param updatedAt when the profile last changed
 */
record UserResponse(String userId, String email, String name, String phone, String source, Instant createdAt,
		Instant updatedAt) {

	static UserResponse from(User user) {
		return new UserResponse(user.id(), user.email(), user.name(), user.phone(), user.source().json(),
				user.createdAt(), user.updatedAt());
	}

}
