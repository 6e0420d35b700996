package dev.polyglot.user.system;

/** A request declared a body larger than the service accepts. */
class RequestBodyTooLargeException extends RuntimeException {

	RequestBodyTooLargeException(long length, long limit) {
		super("the request body has " + length + " bytes; at most " + limit + " are accepted");
	}

}
