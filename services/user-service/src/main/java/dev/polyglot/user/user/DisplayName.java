package dev.polyglot.user.user;

/**
 * What a display name may hold. It ends up in e-mail headers
 * ({@code To: Name <address>}), where a line break would inject a header, so control
 * characters are refused at the door.
 */
final class DisplayName {

	/**
	 * No control character (line breaks, tabs, NUL, DEL). Spelled as a range, not
	 * {@code \P{Cntrl}}, so that the OpenAPI document's pattern means the same in every
	 * client's regular expressions (schemathesis cannot generate from Java's classes).
	 */
	static final String PRINTABLE = "[^\\x00-\\x1F\\x7F]*";

	static final String PRINTABLE_MESSAGE = "must not contain control characters such as line breaks";

	private DisplayName() {
	}

}
