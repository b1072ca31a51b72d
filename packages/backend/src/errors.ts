import { SeqlearnError, type SeqlearnErrorKind } from '@seqlearn/dataset/errors';

/**
 * Base of every error this package throws, under the root of the seqlearn error family.
 * It comes from `@seqlearn/dataset/errors`, a module without imports: the backend gets
 * the shared root class without loading Arrow or any data-package code.
 */
export class BackendError extends SeqlearnError {
  constructor(code: string, message: string, options?: { cause?: unknown; kind?: SeqlearnErrorKind }) {
    super(code, message, options);
  }
}

/** The requested backend cannot run here (for example tfjs-node without libtensorflow). */
export class BackendUnavailableError extends BackendError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('BACKEND_UNAVAILABLE', message, { cause: options?.cause, kind: 'unavailable' });
  }
}

/** An option or environment variable asked for something that does not exist. */
export class BackendOptionError extends BackendError {
  constructor(message: string) {
    super('BACKEND_OPTION', message, { kind: 'option' });
  }
}

/** Saving or loading a model through `file://` failed; the message names the path. */
export class ModelFileError extends BackendError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('MODEL_FILE', message, { cause: options?.cause, kind: 'io' });
  }
}

/** The worker thread of the WebAssembly kernels died in the middle of a job, whose result is lost. */
export class WasmWorkerError extends BackendError {
  constructor(message: string) {
    super('BACKEND_WORKER_DIED', message, { kind: 'other' });
  }
}
