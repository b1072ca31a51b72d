import { SeqlearnError, type SeqlearnErrorKind } from '@seqlearn/dataset';

/**
 * Base of every error thrown by @seqlearn/models. Each subclass also carries the shared
 * `kind` (input, format, option) so callers can treat it like the other packages' errors.
 */
export class ModelsError extends SeqlearnError {
  constructor(message: string, code = 'ERR_MODELS', options?: { cause?: unknown; kind?: SeqlearnErrorKind }) {
    super(code, message, options);
  }
}

/** Data whose shape or dtype does not match the model's input, or labels that do not fit its head. */
export class InputShapeError extends ModelsError {
  constructor(message: string) {
    super(message, 'ERR_MODELS_INPUT_SHAPE', { kind: 'input' });
  }
}

/** Labels that the model's head cannot represent (e.g. class 46 for a 46-way softmax). */
export class LabelRangeError extends ModelsError {
  constructor(message: string) {
    super(message, 'ERR_MODELS_LABEL_RANGE', { kind: 'input' });
  }
}

/** A dataset with no rows, or a generator that yields nothing. */
export class EmptyDatasetError extends ModelsError {
  constructor(message: string) {
    super(message, 'ERR_MODELS_EMPTY_DATASET', { kind: 'input' });
  }
}

/** A bundle written by a different format version of this package. */
export class BundleVersionError extends ModelsError {
  constructor(message: string) {
    super(message, 'ERR_MODELS_BUNDLE_VERSION', { kind: 'format' });
  }
}

/** A bundle folder with missing, truncated or altered files. */
export class BundleCorruptError extends ModelsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'ERR_MODELS_BUNDLE_CORRUPT', { cause: options?.cause, kind: 'format' });
  }
}

/** Options that make no sense for the builder or the training loop. */
export class ModelConfigError extends ModelsError {
  constructor(message: string) {
    super(message, 'ERR_MODELS_CONFIG', { kind: 'option' });
  }
}
