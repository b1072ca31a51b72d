import { EncodingArgumentError, describe } from './errors.js';
import { checkCount, checkSamples, oneHotFromIndices, type OneHotTensor } from './one-hot-tensor.js';
import { pythonSplit } from './python-split.js';

/**
 * Listing 6.1's `token_index`: every distinct word of `sample.split()` in first-seen order,
 * numbered from 1 (index 0 is never attributed to any word).
 */
export function buildWordIndex(samples: readonly string[]): Map<string, number> {
  checkSamples(samples, 'buildWordIndex');
  const tokenIndex = new Map<string, number>();
  for (const sample of samples) {
    for (const word of pythonSplit(sample)) if (!tokenIndex.has(word)) tokenIndex.set(word, tokenIndex.size + 1);
  }
  return tokenIndex;
}

export interface WordOneHotOptions {
  /** Words considered per sample (`max_length`); later words are dropped. Default 10. */
  maxLength?: number;
  /** A word index to use instead of one built from `samples`; words missing from it stay all-zero steps. */
  tokenIndex?: ReadonlyMap<string, number>;
}

/**
 * Word-level one-hot encoding, listing 6.1: split on whitespace (`str.split()`), keep the first
 * `maxLength` words, depth `max(token_index.values()) + 1`.
 */
export function wordOneHot(
  samples: readonly string[],
  options: WordOneHotOptions = {},
): OneHotTensor & { tokenIndex: Map<string, number> } {
  checkSamples(samples, 'wordOneHot');
  const maxLength = checkCount(options.maxLength ?? 10, 'maxLength', 'wordOneHot', 0);
  const tokenIndex = options.tokenIndex ? new Map(options.tokenIndex) : buildWordIndex(samples);
  let maxIndex = 0;
  for (const [word, index] of tokenIndex) {
    if (!Number.isSafeInteger(index) || index < 0) {
      throw new EncodingArgumentError(
        `wordOneHot: tokenIndex maps ${JSON.stringify(word)} to ${describe(index)}; expected a non-negative integer`,
      );
    }
    if (index > maxIndex) maxIndex = index;
  }
  const indices = new Int32Array(samples.length * maxLength).fill(-1);
  samples.forEach((sample, i) => {
    const words = pythonSplit(sample);
    const steps = Math.min(words.length, maxLength);
    for (let j = 0; j < steps; j++) indices[i * maxLength + j] = tokenIndex.get(words[j]) ?? -1;
  });
  return { ...oneHotFromIndices(indices, samples.length, maxLength, maxIndex + 1), tokenIndex };
}
