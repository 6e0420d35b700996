package dev.polyglot.user.user;

/** Another user already has this e-mail address (compared case-insensitively). */
public class DuplicateEmailException extends RuntimeException {

	public DuplicateEmailException(String email) {
		super("a user with e-mail " + email + " already exists");
	}

}
