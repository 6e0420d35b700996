package dev.polyglot.user.user;

/** No user has the id or e-mail address asked for. */
public class UserNotFoundException extends RuntimeException {

	public UserNotFoundException(String what) {
		super("no user with " + what);
	}

}
