import { InvalidOptionError, TextInputError } from './errors.js';
import { createSplitter, type SplitterSpec } from './natural-splitters.js';
import { ngramTokens, normalizeNgrams, type NgramRange } from './ngrams.js';
import { createStemmer, type StemmerName } from './stemmer.js';
import { cachedSplit, describeValue } from './text-to-word-sequence.js';

/** A text, or a text already split into tokens (Keras accepts both). */
export type TextInput = string | readonly string[];

export interface AnalyzerOptions {
  filters: string;
  lower: boolean;
  split: string;
  charLevel: boolean;
  splitter: SplitterSpec | undefined;
  stemmer: StemmerName | undefined;
  ngrams: NgramRange | undefined;
}

/** Text to tokens, as the Tokenizer sees it. `row` only serves error messages. */
export type Analyze = (text: TextInput, row: number) => string[];

/**
 * Builds the text-to-tokens function. With only Keras options this is exactly Keras's
 * branch in `fit_on_texts`/`texts_to_sequences`: lists and `charLevel` texts are only
 * lower-cased, strings go through `text_to_word_sequence`. The extras run after it:
 * a natural splitter replaces filters+split, then stemming, then n-grams.
 */
export function createAnalyzer(options: AnalyzerOptions): Analyze {
  const { filters, lower, split, charLevel } = options;
  if (charLevel && options.splitter !== undefined) {
    throw new InvalidOptionError('splitter', 'splitter cannot be combined with charLevel: true');
  }
  if (charLevel && options.stemmer !== undefined) {
    throw new InvalidOptionError('stemmer', 'stemmer cannot be combined with charLevel: true');
  }
  const splitWords = options.splitter === undefined ? cachedSplit(filters, split) : createSplitter(options.splitter);
  const stem = options.stemmer === undefined ? undefined : createStemmer(options.stemmer);
  const [minN, maxN] = options.ngrams === undefined ? [1, 1] : normalizeNgrams(options.ngrams);
  const joiner = charLevel ? '' : ' ';

  const base = (text: TextInput, row: number): string[] => {
    if (typeof text === 'string') {
      if (charLevel) return Array.from(lower ? text.toLowerCase() : text);
      return splitWords(lower ? text.toLowerCase() : text);
    }
    if (!Array.isArray(text)) {
      throw new TextInputError(`text ${row} is ${describeValue(text)}; expected a string or an array of strings`, row);
    }
    const tokens = new Array<string>(text.length);
    for (let i = 0; i < text.length; i++) {
      const token: unknown = text[i];
      if (typeof token !== 'string') {
        throw new TextInputError(`text ${row}, token ${i} is ${describeValue(token)}; expected a string`, row);
      }
      tokens[i] = lower ? token.toLowerCase() : token;
    }
    return tokens;
  };

  if (stem === undefined && minN === 1 && maxN === 1) return base;
  return (text, row) => {
    let tokens = base(text, row);
    if (stem !== undefined) tokens = tokens.map(stem);
    return ngramTokens(tokens, minN, maxN, joiner);
  };
}
