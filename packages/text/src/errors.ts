import {
  FormatError,
  InputError,
  NotFittedError as SharedNotFittedError,
  OptionError,
  TokenIdError as SharedTokenIdError,
} from '@seqlearn/dataset';

/** A text (or a pre-split token list) was not a string. */
export class TextInputError extends InputError {
  constructor(message: string, row?: number) {
    super(message, { code: 'ERR_TEXT_INPUT', row });
  }
}

/** An option that Keras would reject or misread (negative `numWords`, `maxlen` < 0, unknown mode...). */
export class InvalidOptionError extends OptionError {
  declare readonly option: string;

  constructor(option: string, message: string) {
    super(message, { code: 'ERR_INVALID_OPTION', option });
  }
}

/**
 * A token id that is NaN, not an integer, negative or out of the int32 range.
 * @deprecated Import `TokenIdError` from `@seqlearn/dataset`; this re-export goes in the next minor release.
 */
export const TokenIdError = SharedTokenIdError;
/** @deprecated Import `TokenIdError` from `@seqlearn/dataset`. */
export type TokenIdError = SharedTokenIdError;

/**
 * An operation that needs a fitted tokenizer (tf-idf, a matrix without `numWords`) ran before fitting.
 * @deprecated Import `NotFittedError` from `@seqlearn/dataset`; this re-export goes in the next minor release.
 */
export const NotFittedError = SharedNotFittedError;
/** @deprecated Import `NotFittedError` from `@seqlearn/dataset`. */
export type NotFittedError = SharedNotFittedError;

/** A tokenizer JSON that does not have the layout of Keras's `Tokenizer.to_json()`. */
export class TokenizerJsonError extends FormatError {
  /** Dotted path of the offending field, e.g. `config.word_index`. */
  readonly field: string | undefined;

  constructor(message: string, field?: string) {
    super(field === undefined ? message : `${field}: ${message}`, { code: 'ERR_TOKENIZER_JSON' });
    this.field = field;
  }
}
