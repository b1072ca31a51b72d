import {
  InputError,
  NotFittedError as SharedNotFittedError,
  OptionError,
  TokenIdError as SharedTokenIdError,
  describeValue,
  tokenIdError,
} from '@seqlearn/dataset';

/** A text argument that is not a string (Keras would fail deep inside `str` methods). */
export class TextTypeError extends InputError {
  constructor(where: string, value: unknown) {
    super(`${where}: expected a string, got ${describeValue(value)}`, { code: 'ERR_TEXT_TYPE' });
  }
}

/**
 * A text that cannot be encoded as UTF-8 because it holds a lone surrogate. Python's
 * `str.encode()` raises here too; silently hashing U+FFFD instead would give buckets
 * no Python reference can reproduce.
 */
export class UnencodableTextError extends InputError {
  constructor(word: string, index: number) {
    super(
      `word ${JSON.stringify(word)}: lone UTF-16 surrogate 0x${word.charCodeAt(index).toString(16)} at position ${index} cannot be encoded as UTF-8`,
      { code: 'ERR_UNENCODABLE_TEXT', column: index + 1 },
    );
  }
}

/** An option or argument outside the values the operation accepts. */
export class EncodingArgumentError extends OptionError {
  constructor(message: string) {
    super(message, { code: 'ERR_ENCODING_ARGUMENT' });
  }
}

/**
 * A token id that is NaN, fractional, negative or otherwise not a usable index.
 * @deprecated Import `TokenIdError` from `@seqlearn/dataset`; this re-export goes in the next minor release.
 */
export const TokenIdError = SharedTokenIdError;
/** @deprecated Import `TokenIdError` from `@seqlearn/dataset`. */
export type TokenIdError = SharedTokenIdError;

/**
 * An operation that needs fitted state (tf-idf needs document frequencies) ran before fitting.
 * @deprecated Import `NotFittedError` from `@seqlearn/dataset`; this re-export goes in the next minor release.
 */
export const NotFittedError = SharedNotFittedError;
/** @deprecated Import `NotFittedError` from `@seqlearn/dataset`. */
export type NotFittedError = SharedNotFittedError;

export { describeValue as describe, tokenIdError };
