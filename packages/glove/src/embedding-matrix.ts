import { VectorsOptionError } from './errors.js';
import type { WordVectors } from './word-vectors.js';

/** A tokenizer's `wordIndex` (word -> index, 1 = most frequent), or the tokenizer itself. */
export type WordIndex =
  | ReadonlyMap<string, number>
  | Readonly<Record<string, number>>
  | { readonly wordIndex: ReadonlyMap<string, number> | Readonly<Record<string, number>> };

export interface EmbeddingMatrixOptions {
  /** Rows of the matrix (Keras's `num_words`): words with index < numWords get a row. Default: the largest index + 1. */
  numWords?: number;
  /** @deprecated Use `numWords`; this alias goes in the next minor release. */
  maxWords?: number;
  /** How many of the most frequent missing words to list. Default 20. */
  missingListSize?: number;
}

export interface EmbeddingMatrix {
  /** Row-major `numWords × dim`; row i is the vector of the word with index i, zeros if it has none. */
  matrix: Float32Array;
  /** Rows of the matrix. */
  numWords: number;
  /** @deprecated Use `numWords`; this field goes in the next minor release. */
  maxWords: number;
  dim: number;
  /** Words with 1 ≤ index < numWords that have a vector (rows filled). */
  found: number;
  /** Words with 1 ≤ index < numWords without a vector (rows left at zero). */
  missing: number;
  /** The most frequent missing words (lowest index first), at most `missingListSize`. */
  mostFrequentMissing: string[];
  /** found / (found + missing). */
  coverage: number;
}

function entriesOf(wordIndex: WordIndex): Iterable<[string, number]> {
  const index = 'wordIndex' in wordIndex && typeof wordIndex.wordIndex === 'object' ? wordIndex.wordIndex : wordIndex;
  return index instanceof Map ? index.entries() : Object.entries(index as Readonly<Record<string, number>>);
}

/**
 * The book's listings 6.10–6.11: a `numWords × dim` matrix whose row `i` is the vector
 * of the word with index `i` in `wordIndex`, zeros where the word has no vector (and
 * row 0, which no word has), ready for `Embedding(numWords, dim, { weights })`.
 */
export function embeddingMatrix(vectors: WordVectors, wordIndex: WordIndex, options: EmbeddingMatrixOptions = {}): EmbeddingMatrix {
  const entries = [...entriesOf(wordIndex)];
  for (const [word, i] of entries) {
    if (!Number.isInteger(i) || i < 0)
      throw new VectorsOptionError('wordIndex', `wordIndex["${word}"] is ${i}: indices must be non-negative integers`);
  }
  if (options.numWords !== undefined && options.maxWords !== undefined && options.numWords !== options.maxWords) {
    throw new VectorsOptionError(
      'numWords',
      `numWords (${options.numWords}) and its deprecated alias maxWords (${options.maxWords}) disagree; pass numWords only`,
    );
  }
  const option = options.numWords === undefined && options.maxWords !== undefined ? 'maxWords' : 'numWords';
  const numWords = options.numWords ?? options.maxWords ?? entries.reduce((max, [, i]) => Math.max(max, i + 1), 1);
  if (!Number.isInteger(numWords) || numWords < 1)
    throw new VectorsOptionError(option, `${option} must be a positive integer, got ${numWords}`);
  const listSize = options.missingListSize ?? 20;
  const dim = vectors.dim;
  const matrix = new Float32Array(numWords * dim);
  let found = 0;
  const missingWords: Array<[string, number]> = [];
  for (const [word, i] of entries) {
    if (i >= numWords) continue;
    const row = vectors.rowOf(word);
    if (row < 0) {
      if (i >= 1) missingWords.push([word, i]);
      continue;
    }
    matrix.set(vectors.data.subarray(row * dim, (row + 1) * dim), i * dim);
    if (i >= 1) found++;
  }
  missingWords.sort((a, b) => a[1] - b[1]);
  const missing = missingWords.length;
  return {
    matrix,
    numWords,
    maxWords: numWords,
    dim,
    found,
    missing,
    mostFrequentMissing: missingWords.slice(0, listSize).map(([word]) => word),
    coverage: found + missing === 0 ? 0 : found / (found + missing),
  };
}
