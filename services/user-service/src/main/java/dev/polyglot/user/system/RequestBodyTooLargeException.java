package dev.polyglot.user.system;

/** A request sent a body larger than the service accepts. */
class RequestBodyTooLargeException extends RuntimeException {

	private RequestBodyTooLargeException(String message) {
		super(message);
	}

	/**
	 * A body whose {@code Content-Length} is over the limit.
	 * @param length the declared length
	 * @param limit the largest body accepted
	 * @return the exception
	 */
	static RequestBodyTooLargeException declared(long length, long limit) {
		return new RequestBodyTooLargeException(
				"the request body has " + length + " bytes; at most " + limit + " are accepted");
	}

	/**
	 * A body without a length (chunked) that went on past the limit while it was read.
	 * @param limit the largest body accepted
	 * @return the exception
	 */
	static RequestBodyTooLargeException streamed(long limit) {
		return new RequestBodyTooLargeException(
				"the request body has more than " + limit + " bytes; at most " + limit + " are accepted");
	}

}
