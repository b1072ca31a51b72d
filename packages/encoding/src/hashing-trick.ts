import { textToWordSequence } from '@seqlearn/text';
import { EncodingArgumentError, TextTypeError, describe } from './errors.js';
import { resolveHashFunction, type HashFunction } from './hash-function.js';

export interface HashingTrickOptions {
  /** Default `'murmur3'`. Keras defaults to Python's `hash`, which is salted per process; pass `'md5'` for Keras's reproducible choice. */
  hashFunction?: HashFunction;
  /** Characters removed before splitting; Keras's default filters when omitted. */
  filters?: string;
  /** Lower-case the text first. Default true. */
  lower?: boolean;
  /** Word separator. Default `' '`. */
  split?: string;
}

export type OneHotOptions = HashingTrickOptions;

function checkN(n: unknown, where: string): number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 2) {
    throw new EncodingArgumentError(
      `${where}: n must be an integer ≥ 2 (words go to indices 1 … n - 1; index 0 is reserved), got ${describe(n)}`,
    );
  }
  return n;
}

/**
 * Keras's `hashing_trick`: split `text` with `textToWordSequence`, then map each word to
 * `hash(word) % (n - 1) + 1`, an index in `[1, n)`. With `hashFunction: 'md5'` the result is
 * Keras's bit for bit: the 128-bit digest is reduced exactly, never through a float.
 */
export function hashingTrick(text: string, n: number, options: HashingTrickOptions = {}): number[] {
  if (typeof text !== 'string') throw new TextTypeError('hashingTrick: text', text);
  const modulus = checkN(n, 'hashingTrick') - 1;
  const bucket = resolveHashFunction(options.hashFunction, 'hashingTrick');
  const words = textToWordSequence(text, { filters: options.filters, lower: options.lower, split: options.split });
  const out = new Array<number>(words.length);
  for (let i = 0; i < words.length; i++) out[i] = bucket.mod(words[i], modulus) + 1;
  return out;
}

/**
 * Keras's `one_hot`: `hashingTrick` with the default hash. Despite the name it returns word
 * indices in `[1, n)`, not one-hot vectors. Keras uses Python's salted `hash` here, so its
 * indices change from run to run; ours use MurmurHash3 and never change.
 */
export function oneHot(text: string, n: number, options: OneHotOptions = {}): number[] {
  if (typeof text !== 'string') throw new TextTypeError('oneHot: text', text);
  checkN(n, 'oneHot');
  return hashingTrick(text, n, options);
}
