import { SeqlearnError } from '@seqlearn/dataset';

/** A text (or a pre-split token list) was not a string. */
export class TextInputError extends SeqlearnError {
  /** Position of the offending text in the input, when known. */
  readonly row: number | undefined;

  constructor(message: string, row?: number) {
    super('ERR_TEXT_INPUT', message);
    this.row = row;
  }
}

/** An option that Keras would reject or misread (negative `numWords`, `maxlen` < 0, unknown mode...). */
export class InvalidOptionError extends SeqlearnError {
  readonly option: string;

  constructor(option: string, message: string) {
    super('ERR_INVALID_OPTION', message);
    this.option = option;
  }
}

/** A token id that is NaN, not an integer, negative or out of the int32 range. */
export class TokenIdError extends SeqlearnError {
  readonly row: number;
  readonly column: number;

  constructor(message: string, row: number, column: number) {
    super('ERR_TOKEN_ID', message);
    this.row = row;
    this.column = column;
  }
}

/** An operation that needs a fitted tokenizer (tf-idf, a matrix without `numWords`) ran before fitting. */
export class NotFittedError extends SeqlearnError {
  constructor(message: string) {
    super('ERR_NOT_FITTED', message);
  }
}

/** A tokenizer JSON that does not have the layout of Keras's `Tokenizer.to_json()`. */
export class TokenizerJsonError extends SeqlearnError {
  /** Dotted path of the offending field, e.g. `config.word_index`. */
  readonly field: string | undefined;

  constructor(message: string, field?: string) {
    super('ERR_TOKENIZER_JSON', field === undefined ? message : `${field}: ${message}`);
    this.field = field;
  }
}
