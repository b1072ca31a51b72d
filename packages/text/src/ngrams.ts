import { InvalidOptionError } from './errors.js';

/** `n` means 1..n (as Keras's TextVectorization); `[min, max]` is explicit. */
export type NgramRange = number | readonly [number, number];

export function normalizeNgrams(ngrams: NgramRange): [number, number] {
  const [min, max] = typeof ngrams === 'number' ? [1, ngrams] : ngrams;
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1 || max < min) {
    throw new InvalidOptionError(
      'ngrams',
      `ngrams must be an integer n >= 1 or [min, max] with 1 <= min <= max, got ${JSON.stringify(ngrams)}`,
    );
  }
  return [min, max];
}

/**
 * All n-grams of `tokens` for n = min..max, shortest first, each joined by `joiner`
 * (' ' for words, '' for characters): all unigrams, then all bigrams, and so on.
 */
export function ngramTokens(tokens: readonly string[], min: number, max: number, joiner: string): string[] {
  if (min === 1 && max === 1) return tokens as string[];
  const out: string[] = [];
  for (let n = min; n <= max; n++) {
    for (let i = 0; i + n <= tokens.length; i++) {
      let gram = tokens[i]!;
      for (let k = 1; k < n; k++) gram += joiner + tokens[i + k]!;
      out.push(gram);
    }
  }
  return out;
}
