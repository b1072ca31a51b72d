/**
 * The words to keep while reading: a set, or a tokenizer's `wordIndex` (a Map or a
 * plain record from word to index). Only the keys matter.
 */
export type Vocabulary = ReadonlySet<string> | ReadonlyMap<string, number> | Readonly<Record<string, number>>;

/** A membership test and a size bound, whatever shape the vocabulary came in. */
export interface VocabularyFilter {
  has(word: string): boolean;
  size: number;
}

export function vocabularyFilter(vocabulary: Vocabulary): VocabularyFilter {
  if (vocabulary instanceof Set || vocabulary instanceof Map) return vocabulary;
  const record = vocabulary as Readonly<Record<string, number>>;
  // A Map so that words like "constructor" or "__proto__" are looked up as data, not as the prototype.
  return new Map(Object.entries(record));
}

/** A stable fingerprint of the vocabulary (its sorted words), for cache keys. */
export function vocabularyWords(vocabulary: Vocabulary): string[] {
  const filter = vocabularyFilter(vocabulary);
  return [...(filter as ReadonlySet<string> | ReadonlyMap<string, number>).keys()].sort();
}
