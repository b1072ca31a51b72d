import { EncodingArgumentError, describe } from './errors.js';
import { checkCount, checkSamples, oneHotFromIndices, type OneHotTensor } from './one-hot-tensor.js';

/** Python's `string.printable`: digits, letters, punctuation, then ' \t\n\r\x0b\x0c' (100 characters). */
export const PRINTABLE = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~ \t\n\r\x0b\x0c';

export interface CharOneHotOptions {
  /** Characters considered per sample; later ones are dropped. Default 50. */
  maxLength?: number;
  /** The alphabet, numbered from 1 in order. Default `PRINTABLE`. */
  characters?: string;
}

/**
 * Character-level one-hot encoding, listing 6.2: characters are numbered from 1 in the order
 * of `string.printable`, depth `len(characters) + 1` = 101, 50 steps.
 *
 * The printed listing maps index → character and so never finds a character; this follows
 * its evident intent (character → index), which is what the golden outputs record. Characters
 * outside the alphabet leave an all-zero step (NumPy's `results[i, j, None] = 1` would fill the
 * whole step with ones), and samples longer than `maxLength` are cut (NumPy would raise).
 * Python iterates a string by code point, so an emoji is one step, not two UTF-16 units.
 */
export function charOneHot(
  samples: readonly string[],
  options: CharOneHotOptions = {},
): OneHotTensor & { tokenIndex: Map<string, number> } {
  checkSamples(samples, 'charOneHot');
  const maxLength = checkCount(options.maxLength ?? 50, 'maxLength', 'charOneHot', 0);
  const characters = options.characters ?? PRINTABLE;
  if (typeof characters !== 'string' || characters.length === 0) {
    throw new EncodingArgumentError(`charOneHot: characters must be a non-empty string, got ${describe(characters)}`);
  }
  const tokenIndex = new Map<string, number>();
  let position = 0;
  for (const ch of characters) tokenIndex.set(ch, ++position);
  const indices = new Int32Array(samples.length * maxLength).fill(-1);
  samples.forEach((sample, i) => {
    let j = 0;
    for (const ch of sample) {
      if (j >= maxLength) break;
      indices[i * maxLength + j] = tokenIndex.get(ch) ?? -1;
      j++;
    }
  });
  return { ...oneHotFromIndices(indices, samples.length, maxLength, position + 1), tokenIndex };
}
