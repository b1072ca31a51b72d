import { SpanTable, type SpanTableParts } from './span-table.js';
import { InvalidOptionError } from './errors.js';
import { Vocabulary } from './vocabulary.js';
import { packWords, unpackWords, type PackedWords } from './packed-words.js';

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
export interface PackedTokenCounts extends PackedWords {
  counts: Float64Array;
  docs: Float64Array;
  documents: number;
  /** The counting hash table's arrays, when the counts came from a vocabulary: unpacking then hashes no word again. */
  table?: SpanTableParts;
}

/**
 * Adds up the counts of consecutive chunks, given in the order the chunks come in the data (a
 * word keeps the place of its first occurrence in the first chunk that has it), one chunk at a
 * time, so a stream of chunks needs memory for the vocabulary only.
 */
export class TokenCountsMerger {
  private total: Vocabulary | undefined;
  private parts = 0;

  /**
   * @param adoptFirst Take a first part that is a Vocabulary (countTexts' result, unpacked
   *   counts) over as the total instead of copying it; that part must not be used afterwards.
   */
  constructor(private readonly adoptFirst = false) {}

  add(part: TokenCounts): void {
    if (this.total === undefined && this.adoptFirst && part instanceof Vocabulary) {
      this.total = part;
    } else {
      checkCounts(part, this.parts);
      const total = (this.total ??= new Vocabulary());
      const { words, counts, docs } = part;
      for (let i = 0; i < words.length; i++) total.addTotals(words[i]!, counts[i]!, docs[i]!);
      total.documents += part.documents;
    }
    this.parts++;
  }

  /**
   * add(unpackTokenCounts(packed)) without the copy: after the first part, each word is looked
   * up as a span of the packed text with the hash its table carries, so a word already
   * counted is neither sliced out nor hashed again.
   */
  addPacked(packed: PackedTokenCounts): void {
    if (this.total === undefined || packed.table === undefined) {
      this.add(unpackTokenCounts(packed));
      return;
    }
    const { text, ends, counts, docs, documents } = packed;
    if (counts.length !== ends.length || docs.length !== ends.length || !Number.isInteger(documents) || documents < 0) {
      checkCounts({ words: new Array<string>(ends.length), counts, docs, documents }, this.parts);
    }
    const hashes = SpanTable.hashesOf(packed.table, ends.length);
    const total = this.total;
    let start = 0;
    for (let i = 0; i < ends.length; i++) {
      const end = ends[i]!;
      total.addSpanTotals(text, start, end, hashes[i]!, counts[i]!, docs[i]!);
      start = end;
    }
    total.documents += documents;
    this.parts++;
  }

  /** The counts so far, as a vocabulary shared with the merger: add no more after reading it. */
  result(): Vocabulary {
    return (this.total ??= new Vocabulary());
  }
}

function checkCounts(part: TokenCounts, index: number): void {
  const { words, counts, docs, documents } = part;
  if (counts.length !== words.length || docs.length !== words.length || !Number.isInteger(documents) || documents < 0) {
    throw new InvalidOptionError(
      'counts',
      `token counts ${index}: ${words.length} words, ${counts.length} counts, ${docs.length} document counts and ${documents} documents do not fit together`,
    );
  }
}

export function isTokenCounts(value: unknown): value is TokenCounts {
  return typeof value === 'object' && value !== null && 'words' in value && 'counts' in value && 'docs' in value;
}

/** Partial counts merged in the order given (chunk 0 first): the counts one fit over all chunks would make. The parts are left as they are. */
export function mergeTokenCounts(parts: Iterable<TokenCounts>): TokenCounts {
  const merger = new TokenCountsMerger();
  for (const part of parts) merger.add(part);
  return merger.result();
}

/** The merged counts as a vocabulary; a first part that is a Vocabulary is taken over, not copied. */
export function vocabularyOf(parts: Iterable<TokenCounts>): Vocabulary {
  const merger = new TokenCountsMerger(true);
  for (const part of parts) merger.add(part);
  return merger.result();
}

/** Flat values of `counts`; a Vocabulary's table goes along, so it must not be used afterwards. */
export function packTokenCounts(counts: TokenCounts): PackedTokenCounts {
  return {
    ...packWords(counts.words),
    counts: Float64Array.from(counts.counts),
    docs: Float64Array.from(counts.docs),
    documents: counts.documents,
    table: counts instanceof Vocabulary ? counts.table.toParts() : undefined,
  };
}

export function unpackTokenCounts(packed: PackedTokenCounts): TokenCounts {
  const words = unpackWords(packed);
  if (packed.table !== undefined) return Vocabulary.fromParts(words, packed.counts, packed.docs, packed.documents, packed.table);
  return { words, counts: packed.counts, docs: packed.docs, documents: packed.documents };
}
