import { InvalidOptionError } from './errors.js';
import { Vocabulary } from './vocabulary.js';

/**
 * What a tokenizer learns from a chunk of texts, as plain arrays that can cross a worker
 * thread or be saved: each word in first-seen order with its occurrences and the number of
 * texts it occurs in, and the number of texts. `Tokenizer.countTexts` makes one,
 * `mergeWordCounts` adds several up, `Tokenizer.fitOnCounts` takes the result.
 */
export interface WordCounts {
  readonly words: readonly string[];
  readonly counts: ArrayLike<number>;
  readonly docs: ArrayLike<number>;
  readonly documents: number;
}

/**
 * Adds up the counts of consecutive chunks, given in the order the chunks come in the data: a
 * word keeps the place of its first occurrence in the first chunk that has it, so merging the
 * chunks' counts in order gives the same counts, document counts and first-seen order (hence
 * the same index, ties included) as counting the whole at once.
 */
export class WordCountsMerger {
  private readonly total = new Vocabulary();
  private documents = 0;
  private parts = 0;

  add(counts: WordCounts): void {
    const { words, counts: occurrences, docs } = counts;
    if (
      occurrences.length !== words.length ||
      docs.length !== words.length ||
      !Number.isInteger(counts.documents) ||
      counts.documents < 0
    ) {
      throw new InvalidOptionError(
        'counts',
        `word counts ${this.parts}: ${words.length} words, ${occurrences.length} counts, ${docs.length} document counts and ${counts.documents} documents do not fit together`,
      );
    }
    const total = this.total;
    for (let id = 0; id < words.length; id++) total.addTotals(words[id]!, occurrences[id]!, docs[id]!);
    this.documents += counts.documents;
    this.parts++;
  }

  /** The counts so far (arrays shared with the merger: add no more after reading them). */
  result(): WordCounts {
    return { words: this.total.words, counts: this.total.counts, docs: this.total.docs, documents: this.documents };
  }
}

/** {@link WordCountsMerger} over a list of chunks' counts, in data order. */
export function mergeWordCounts(parts: Iterable<WordCounts>): WordCounts {
  const merger = new WordCountsMerger();
  for (const counts of parts) merger.add(counts);
  return merger.result();
}
