import { UnencodableTextError } from './errors.js';

/**
 * One growable scratch buffer for the UTF-8 bytes of a single word. Hashing millions of
 * short words must not allocate a Uint8Array per word, and TextEncoder would replace a
 * lone surrogate with U+FFFD where Python's `str.encode()` raises.
 */
let scratch = new Uint8Array(256);

/** Encodes `word` as UTF-8 into the shared scratch buffer; returns the byte length. */
export function encodeUtf8(word: string): number {
  const worstCase = word.length * 3;
  if (worstCase > scratch.length) scratch = new Uint8Array(Math.max(worstCase, scratch.length * 2));
  const out = scratch;
  let n = 0;
  for (let i = 0; i < word.length; i++) {
    let c = word.charCodeAt(i);
    if (c < 0x80) {
      out[n++] = c;
    } else if (c < 0x800) {
      out[n++] = 0xc0 | (c >> 6);
      out[n++] = 0x80 | (c & 0x3f);
    } else if (c < 0xd800 || c > 0xdfff) {
      out[n++] = 0xe0 | (c >> 12);
      out[n++] = 0x80 | ((c >> 6) & 0x3f);
      out[n++] = 0x80 | (c & 0x3f);
    } else {
      const low = i + 1 < word.length ? word.charCodeAt(i + 1) : 0;
      if (c > 0xdbff || low < 0xdc00 || low > 0xdfff) throw new UnencodableTextError(word, i);
      c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
      i++;
      out[n++] = 0xf0 | (c >> 18);
      out[n++] = 0x80 | ((c >> 12) & 0x3f);
      out[n++] = 0x80 | ((c >> 6) & 0x3f);
      out[n++] = 0x80 | (c & 0x3f);
    }
  }
  return n;
}

/** The scratch buffer `encodeUtf8` last wrote into (valid until the next call). */
export function utf8Scratch(): Uint8Array {
  return scratch;
}
