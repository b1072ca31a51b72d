/**
 * Base of every error this package throws. The backend does not depend on
 * `@seqlearn/dataset` (models import the backend, not the other way round), so it
 * carries its own base with the same shape: a stable `code` beside the message.
 */
export class BackendError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The requested backend cannot run here (for example tfjs-node without libtensorflow). */
export class BackendUnavailableError extends BackendError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('BACKEND_UNAVAILABLE', message, options);
  }
}

/** An option or environment variable asked for something that does not exist. */
export class BackendOptionError extends BackendError {
  constructor(message: string) {
    super('BACKEND_OPTION', message);
  }
}

/** Saving or loading a model through `file://` failed; the message names the path. */
export class ModelFileError extends BackendError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('MODEL_FILE', message, options);
  }
}
