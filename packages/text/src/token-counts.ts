import { Vocabulary } from './vocabulary.js';

/**
 * What fitting on one chunk of texts adds to a tokenizer: each word's occurrences and the
 * number of texts it occurs in, words in first-seen order, and how many texts were read.
 * Counting contiguous chunks separately (on other threads, or shard by shard) and merging
 * the partial counts in chunk order gives exactly the state one fit over all the texts
 * gives: counts and document counts add up, and a word's first appearance overall is its
 * first appearance in the first chunk that has it, so first-seen order, and with it
 * Keras's index (by count, ties by first appearance), come out the same.
 */
export interface TokenCounts {
  /** Words in first-seen order. */
  readonly words: readonly string[];
  /** Occurrences of `words[i]`. */
  readonly counts: ArrayLike<number>;
  /** Number of texts `words[i]` occurs in. */
  readonly docs: ArrayLike<number>;
  /** Number of texts counted. */
  readonly documents: number;
}

/**
 * TokenCounts as a few flat values that cross a thread (postMessage) or a file cheaply:
 * the words joined into one string with their end offsets, counts in typed arrays.
 */
export interface PackedTokenCounts {
  text: string;
  ends: Int32Array;
  counts: Float64Array;
  docs: Float64Array;
  documents: number;
}

/** Partial counts merged in the order given (chunk 0 first): the counts one fit over all chunks would make. */
export function mergeTokenCounts(parts: Iterable<TokenCounts>): TokenCounts {
  return vocabularyOf(parts);
}

/** The merged counts as a new vocabulary (the parts are left as they are). */
export function vocabularyOf(parts: Iterable<TokenCounts>): Vocabulary {
  const out = new Vocabulary();
  for (const part of parts) {
    const { words, counts, docs } = part;
    for (let i = 0; i < words.length; i++) out.addTotals(words[i]!, counts[i]!, docs[i]!);
    out.documents += part.documents;
  }
  return out;
}

export function packTokenCounts(counts: TokenCounts): PackedTokenCounts {
  const { words } = counts;
  const ends = new Int32Array(words.length);
  let end = 0;
  for (let i = 0; i < words.length; i++) ends[i] = end += words[i]!.length;
  return {
    // One string clones as one block of memory; an array of strings clones string by string.
    text: words.join(''),
    ends,
    counts: Float64Array.from(counts.counts),
    docs: Float64Array.from(counts.docs),
    documents: counts.documents,
  };
}

export function unpackTokenCounts(packed: PackedTokenCounts): TokenCounts {
  const { text, ends } = packed;
  const words = new Array<string>(ends.length);
  let start = 0;
  for (let i = 0; i < ends.length; i++) {
    words[i] = text.slice(start, ends[i]);
    start = ends[i]!;
  }
  return { words, counts: packed.counts, docs: packed.docs, documents: packed.documents };
}
