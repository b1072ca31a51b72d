import { describeValue } from '@seqlearn/dataset';
import { TextInputError } from './errors.js';
import { compileSplit, DEFAULT_FILTERS, type CompiledSplit, type WordSequenceOptions } from './word-splitter.js';

const cache = new Map<string, CompiledSplit>();

/** The splitter for these options, compiled once and reused (most programs use one or two). */
export function cachedSplit(filters: string, split: string): CompiledSplit {
  const key = `${split.length}:${split}${filters}`;
  let compiled = cache.get(key);
  if (compiled === undefined) {
    compiled = compileSplit(filters, split);
    if (cache.size > 64) cache.clear();
    cache.set(key, compiled);
  }
  return compiled;
}

/**
 * Keras's `text_to_word_sequence`: lower-case, replace every character of `filters`
 * with `split`, split on `split`, drop empty strings.
 */
export function textToWordSequence(text: string, options: WordSequenceOptions = {}): string[] {
  if (typeof text !== 'string') {
    throw new TextInputError(`textToWordSequence expects a string, got ${describeValue(text)}`);
  }
  const { filters = DEFAULT_FILTERS, lower = true, split = ' ' } = options;
  return cachedSplit(filters, split)(lower ? text.toLowerCase() : text);
}

export { describeValue };
