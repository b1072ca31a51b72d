import { InvalidOptionError } from './errors.js';
import { requireNatural } from './natural.js';

/** Stemmers a Tokenizer can apply to each word. */
export type StemmerName = 'porter';

/**
 * natural's Porter stemmer, loaded by deep path (the package's main entry is slow and noisy)
 * and memoized: a corpus repeats its words, and natural's stemmer runs a dozen regexes per call.
 */
export function createStemmer(name: StemmerName): (word: string) => string {
  if (name !== 'porter') throw new InvalidOptionError('stemmer', `unknown stemmer "${String(name)}"; expected "porter"`);
  const porter = requireNatural<{ stem(token: string): string }>('lib/natural/stemmers/porter_stemmer.js', 'the porter stemmer');
  const memo = new Map<string, string>();
  return (word) => {
    let stem = memo.get(word);
    if (stem === undefined) {
      stem = porter.stem(word);
      if (memo.size >= 1 << 20) memo.clear();
      memo.set(word, stem);
    }
    return stem;
  };
}
