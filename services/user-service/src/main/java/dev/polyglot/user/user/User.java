package dev.polyglot.user.user;

import java.time.Instant;

/**
 * A stored user.
 *
 * @param id the user id (UUID), also the key of the user's events
 * @param email the address as given, case kept
 * @param name the display name
 * @param phone an E.164 number, or {@code null}
 * @param source where the sign-up came from
 * @param createdAt when the user signed up
 * @param updatedAt when the profile last changed
 */
public record User(String id, String email, String name, String phone, SignupSource source, Instant createdAt,
		Instant updatedAt) {
}
