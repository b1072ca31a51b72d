import { SeqlearnError } from '@seqlearn/dataset';

/** A text argument that is not a string (Keras would fail deep inside `str` methods). */
export class TextTypeError extends SeqlearnError {
  constructor(where: string, value: unknown) {
    super('ERR_TEXT_TYPE', `${where}: expected a string, got ${describe(value)}`);
  }
}

/**
 * A text that cannot be encoded as UTF-8 because it holds a lone surrogate. Python's
 * `str.encode()` raises here too; silently hashing U+FFFD instead would give buckets
 * no Python reference can reproduce.
 */
export class UnencodableTextError extends SeqlearnError {
  constructor(word: string, index: number) {
    super(
      'ERR_UNENCODABLE_TEXT',
      `word ${JSON.stringify(word)}: lone UTF-16 surrogate 0x${word.charCodeAt(index).toString(16)} at position ${index} cannot be encoded as UTF-8`,
    );
  }
}

/** An option or argument outside the values the operation accepts. */
export class EncodingArgumentError extends SeqlearnError {
  constructor(message: string) {
    super('ERR_ENCODING_ARGUMENT', message);
  }
}

/** A token id that is NaN, fractional, negative or otherwise not a usable index. */
export class TokenIdError extends SeqlearnError {
  readonly row: number;
  readonly position: number;

  constructor(row: number, position: number, value: unknown, expected = 'a non-negative integer token id') {
    super('ERR_TOKEN_ID', `sequence ${row}, position ${position}: expected ${expected}, got ${describe(value)}`);
    this.row = row;
    this.position = position;
  }
}

/** An operation that needs fitted state (tf-idf needs document frequencies) ran before fitting. */
export class NotFittedError extends SeqlearnError {
  constructor(message: string) {
    super('ERR_NOT_FITTED', message);
  }
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return typeof value === 'object' ? `an object (${Object.prototype.toString.call(value).slice(8, -1)})` : typeof value;
}
