package dev.polyglot.user.user;

import java.util.Locale;

/** Where a sign-up came from; its JSON form is the lower-case name ({@code web}, ...). */
public enum SignupSource {

	WEB, MOBILE, API, SOCIAL;

	/**
	 * The pattern that a request's {@code source} must match (validated before parsing).
	 */
	static final String PATTERN = "web|mobile|api|social";

	static SignupSource fromJson(String value) {
		return (value == null) ? WEB : valueOf(value.toUpperCase(Locale.ROOT));
	}

	/**
	 * The JSON form.
	 * @return the lower-case name
	 */
	public String json() {
		return name().toLowerCase(Locale.ROOT);
	}

}
