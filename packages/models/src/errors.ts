import { SeqlearnError } from '@seqlearn/dataset';

/** Base of every error thrown by @seqlearn/models. */
export class ModelsError extends SeqlearnError {
  constructor(message: string, code = 'ERR_MODELS', options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** Data whose shape or dtype does not match the model's input, or labels that do not fit its head. */
export class InputShapeError extends ModelsError {
  constructor(message: string) {
    super(message, 'ERR_MODELS_INPUT_SHAPE');
  }
}

/** Labels that the model's head cannot represent (e.g. class 46 for a 46-way softmax). */
export class LabelRangeError extends ModelsError {
  constructor(message: string) {
    super(message, 'ERR_MODELS_LABEL_RANGE');
  }
}

/** A dataset with no rows, or a generator that yields nothing. */
export class EmptyDatasetError extends ModelsError {
  constructor(message: string) {
    super(message, 'ERR_MODELS_EMPTY_DATASET');
  }
}

/** A bundle written by a different format version of this package. */
export class BundleVersionError extends ModelsError {
  constructor(message: string) {
    super(message, 'ERR_MODELS_BUNDLE_VERSION');
  }
}

/** A bundle folder with missing, truncated or altered files. */
export class BundleCorruptError extends ModelsError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 'ERR_MODELS_BUNDLE_CORRUPT', options);
  }
}

/** Options that make no sense for the builder or the training loop. */
export class ModelConfigError extends ModelsError {
  constructor(message: string) {
    super(message, 'ERR_MODELS_CONFIG');
  }
}
