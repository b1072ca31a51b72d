/**
 * Errors the CLI turns into one line on stderr and an exit code, never a stack trace.
 * Anything else that reaches the top (a typed error from a package) is shown by its message too.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** Ctrl-C during training: the last finished epoch is checkpointed; exit 130 as shells expect. */
export class InterruptedError extends UserError {
  constructor(message: string) {
    super(message, 130);
    this.name = 'InterruptedError';
  }
}
