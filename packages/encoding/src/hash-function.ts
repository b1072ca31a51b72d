import { EncodingArgumentError, describe } from './errors.js';
import { md5Mod } from './md5.js';
import { murmurHash3 } from './murmur3.js';

/**
 * - `'murmur3'`: MurmurHash3 x86 32-bit, seed 0, over the word's UTF-8 bytes, read as a
 *   signed 32-bit integer; identical to Python's `sklearn.utils.murmurhash3_32(word)`.
 *   The project's default: fast, stable across runs and machines, and reproducible in Python.
 * - `'md5'`: `int(md5(word.encode()).hexdigest(), 16)`, Keras's `hash_function='md5'`.
 * - a function from a word to an integer (`number` or `bigint`, may be negative).
 */
export type HashFunctionName = 'murmur3' | 'md5';
export type HashFunction = HashFunctionName | ((word: string) => number | bigint);

export const DEFAULT_HASH_FUNCTION: HashFunctionName = 'murmur3';

/** Reduces a word's hash into `[0, modulus)` the way Python's `%` and `abs` do. */
export interface Bucketer {
  /** Python's `hash(word) % modulus` (never negative for a positive modulus). */
  mod(word: string, modulus: number): number;
  /** Python's `abs(hash(word)) % modulus`, as in the book's listing 6.4. */
  absMod(word: string, modulus: number): number;
}

const murmur3Bucketer: Bucketer = {
  mod(word, modulus) {
    const r = murmurHash3(word) % modulus;
    return r < 0 ? r + modulus : r;
  },
  absMod(word, modulus) {
    return Math.abs(murmurHash3(word)) % modulus;
  },
};

const md5Bucketer: Bucketer = { mod: md5Mod, absMod: md5Mod };

function customBucketer(fn: (word: string) => number | bigint): Bucketer {
  const hash = (word: string): number | bigint => {
    const h = fn(word);
    if (typeof h === 'bigint' || Number.isSafeInteger(h)) return h;
    throw new EncodingArgumentError(
      `hashFunction returned ${describe(h)} for word ${JSON.stringify(word)}; expected a safe integer (number) or a bigint`,
    );
  };
  const pyMod = (h: number | bigint, modulus: number): number => {
    if (typeof h === 'bigint') {
      const m = BigInt(modulus);
      return Number(((h % m) + m) % m);
    }
    const r = h % modulus;
    return r < 0 ? r + modulus : r;
  };
  return {
    mod: (word, modulus) => pyMod(hash(word), modulus),
    absMod: (word, modulus) => {
      const h = hash(word);
      return pyMod(typeof h === 'bigint' ? (h < 0n ? -h : h) : Math.abs(h), modulus);
    },
  };
}

export function resolveHashFunction(hashFunction: HashFunction | undefined, where: string): Bucketer {
  const chosen = hashFunction ?? DEFAULT_HASH_FUNCTION;
  if (chosen === 'murmur3') return murmur3Bucketer;
  if (chosen === 'md5') return md5Bucketer;
  if (typeof chosen === 'function') return customBucketer(chosen);
  throw new EncodingArgumentError(`${where}: unknown hashFunction ${describe(chosen)}; expected 'murmur3', 'md5' or a function`);
}
