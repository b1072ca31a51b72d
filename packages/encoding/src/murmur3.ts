import { encodeUtf8, utf8Scratch } from './utf8.js';

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** MurmurHash3 x86 32-bit of `bytes[0..length)` as a signed 32-bit integer. */
export function murmurHash3Bytes(bytes: Uint8Array, length: number, seed = 0): number {
  let h = seed | 0;
  const blocks = length & ~3;
  for (let i = 0; i < blocks; i += 4) {
    let k = bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  switch (length & 3) {
    case 3:
      k ^= bytes[blocks + 2] << 16;
    // falls through
    case 2:
      k ^= bytes[blocks + 1] << 8;
    // falls through
    case 1:
      k ^= bytes[blocks];
      k = Math.imul(k, C1);
      k = (k << 15) | (k >>> 17);
      k = Math.imul(k, C2);
      h ^= k;
  }
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/**
 * MurmurHash3 (x86, 32-bit) of the UTF-8 bytes of `text`, as a signed 32-bit integer.
 * With the default seed 0 this equals Python's `sklearn.utils.murmurhash3_32(text, seed=0)`
 * (the hash behind scikit-learn's HashingVectorizer), so buckets can be reproduced in Python.
 * Throws UnencodableTextError on a lone surrogate.
 */
export function murmurHash3(text: string, seed = 0): number {
  const length = encodeUtf8(text);
  return murmurHash3Bytes(utf8Scratch(), length, seed);
}
