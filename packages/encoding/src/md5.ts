import { md5Digest } from '#platform';
import { encodeUtf8, utf8Scratch } from './utf8.js';

let digestBytes: DataView = new DataView(new ArrayBuffer(16));

/** Python's `word.encode()` (which rejects lone surrogates, as encodeUtf8 does), then MD5. */
function digest(word: string): void {
  const length = encodeUtf8(word); // may replace the scratch buffer: read it afterwards
  const bytes = md5Digest(utf8Scratch().subarray(0, length));
  digestBytes = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Digest word `k` of 4, most significant first. */
function bigEndianDigit(k: number): number {
  return digestBytes.getUint32(4 * k);
}

function digestBigInt(): bigint {
  let value = 0n;
  for (let k = 0; k < 4; k++) value = (value << 32n) | BigInt(bigEndianDigit(k));
  return value;
}

/** The MD5 digest of the UTF-8 bytes of `word` as an unsigned 128-bit integer: Python's `int(md5(word.encode()).hexdigest(), 16)`. */
export function md5Hash(word: string): bigint {
  digest(word);
  return digestBigInt();
}

/**
 * `int(md5(word.encode()).hexdigest(), 16) % modulus`, exactly, without BigInt for the
 * moduli that occur in practice: the digest is read as a big-endian number and reduced
 * digit by digit (Horner's rule), keeping every intermediate below 2^53.
 */
export function md5Mod(word: string, modulus: number): number {
  digest(word);
  if (modulus <= 0x200000) {
    // 32-bit digits: remainder < 2^21, so remainder · 2^32 + digit < 2^53.
    let r = 0;
    for (let k = 0; k < 4; k++) r = (r * 0x100000000 + bigEndianDigit(k)) % modulus;
    return r;
  }
  if (modulus <= 0x100000000000) {
    // Byte digits: remainder < 2^44, so remainder · 256 + byte < 2^52.
    let r = 0;
    for (let k = 0; k < 4; k++) {
      const digit = bigEndianDigit(k);
      for (let shift = 24; shift >= 0; shift -= 8) r = (r * 256 + ((digit >>> shift) & 0xff)) % modulus;
    }
    return r;
  }
  return Number(digestBigInt() % BigInt(modulus));
}
