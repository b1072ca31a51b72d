import { SpanScanner } from './span-scanner.js';

/** Keras's default `filters`: ASCII punctuation, tab and newline (not `'` and not `\r`). */
export const DEFAULT_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n';

export interface WordSequenceOptions {
  /** Characters replaced by `split` before splitting. Keras default: {@link DEFAULT_FILTERS}. */
  filters?: string;
  /** Lower-case first (Unicode-aware, like Python's `str.lower`). Default true. */
  lower?: boolean;
  /** The separator. Default `' '`. */
  split?: string;
}

/** Splits a text into words; never returns empty strings. */
export type CompiledSplit = (text: string) => string[];

/**
 * Keras's `text.translate(filters -> split).split(split)`. A one-unit `split` goes through the
 * single-pass {@link SpanScanner}; a longer one is translated and split literally, because then a
 * separator can be formed across a filtered character and its neighbours.
 */
export function compileSplit(filters: string, split: string): CompiledSplit {
  const scanner = SpanScanner.compile(filters, split);
  if (scanner !== undefined) return (text) => scanner.words(text);
  const filtered = new Set<string>(filters);
  return (text: string): string[] => {
    let translated = '';
    for (const ch of text) translated += filtered.has(ch) ? split : ch;
    return translated.split(split).filter((w) => w.length > 0);
  };
}
