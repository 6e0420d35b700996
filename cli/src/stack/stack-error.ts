/** A failure of the stack with what the user should do next. */
export class StackError extends Error {
  override readonly name = "StackError";

  constructor(
    message: string,
    /** What to do next, printed after the message. */
    readonly hint: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
