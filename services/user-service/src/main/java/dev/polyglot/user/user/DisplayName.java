package dev.polyglot.user.user;

/**
 * What a display name may hold. It ends up in e-mail headers
 * ({@code To: Name <address>}), where a line break would inject a header, so control
 * characters are refused at the door.
 */
final class DisplayName {

	/** No control character (line breaks, tabs, NUL, DEL). */
	static final String PRINTABLE = "\\P{Cntrl}*";

	static final String PRINTABLE_MESSAGE = "must not contain control characters such as line breaks";

	private DisplayName() {
	}

}
