package dev.polyglot.user.user;

/**
 * The answer to a sign-up.
 *
 * @param userId the new user's id
 * @param email the address as stored
 * @param correlationId the correlation id of the chain the sign-up started
 */
record SignupResponse(String userId, String email, String correlationId) {
}
