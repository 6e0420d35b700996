/** A mistake in how the command was called (exit code 2), as opposed to a failure while running it. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
