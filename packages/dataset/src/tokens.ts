import { describeValue } from './describe.js';
import { TokenIdError } from './errors.js';

/** The error for a token id at `[row, position]` that is not `expected`; the message names the place and the value. */
export function tokenIdError(row: number, position: number, value: unknown, expected = 'a non-negative integer token id'): TokenIdError {
  return new TokenIdError(`sequence ${row}, position ${position}: expected ${expected}, got ${describeValue(value)}`, row, position);
}

/** Returns `value` when it is a non-negative integer token id; otherwise throws a {@link TokenIdError}. */
export function checkTokenId(value: unknown, row: number, position: number): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  throw tokenIdError(row, position, value);
}

/**
 * Keras's `Tokenizer.get_config()`: options as values, state as JSON strings
 * (that is how Keras writes them, and what `tokenizer_from_json` reads).
 */
export interface KerasTokenizerConfig {
  num_words: number | null;
  filters: string;
  lower: boolean;
  split: string;
  char_level: boolean;
  oov_token: string | null;
  document_count: number;
  /** A JSON string of `{ "word": count }`. */
  word_counts: string;
  /** A JSON string of `{ "word": docs }`. */
  word_docs: string;
  /** A JSON string of `{ "id": docs }`. */
  index_docs: string;
  /** A JSON string of `{ "id": "word" }`. */
  index_word: string;
  /** A JSON string of `{ "word": id }`. */
  word_index: string;
}

/**
 * A tokenizer as Keras's `tokenizer.to_json()` writes it, parsed; it is also what a
 * sequences table carries in `seqlearn.tokenizer`. `seqlearn` holds options beyond Keras,
 * where Python's loader does not look; `@seqlearn/text` fills it in.
 */
export interface KerasTokenizerJson<Extras extends object = Record<string, unknown>> {
  class_name: 'Tokenizer';
  config: KerasTokenizerConfig;
  seqlearn?: Extras;
}

/** The same layout as readers accept it: any field may be missing and takes Keras's default. */
export interface PartialKerasTokenizerJson {
  class_name?: string;
  config: Partial<KerasTokenizerConfig>;
}
