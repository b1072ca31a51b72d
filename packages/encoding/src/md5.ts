import * as crypto from 'node:crypto';
import { encodeUtf8, utf8Scratch } from './utf8.js';

type Md5 = (bytes: Uint8Array) => Uint8Array;

// crypto.hash (Node ≥ 20.12) is a one-shot digest, about a third faster than createHash.
const oneShot = (crypto as { hash?: (algorithm: string, data: Uint8Array, encoding: 'buffer') => Buffer }).hash;
const md5Digest: Md5 = oneShot
  ? (bytes) => oneShot('md5', bytes, 'buffer')
  : (bytes) => crypto.createHash('md5').update(bytes).digest();

function digestOf(word: string): Uint8Array {
  const length = encodeUtf8(word);
  return md5Digest(utf8Scratch().subarray(0, length));
}

/** The MD5 digest of the UTF-8 bytes of `word` as an unsigned 128-bit integer: Python's `int(md5(word.encode()).hexdigest(), 16)`. */
export function md5Hash(word: string): bigint {
  const d = digestOf(word);
  let value = 0n;
  for (let i = 0; i < 16; i++) value = (value << 8n) | BigInt(d[i]);
  return value;
}

/**
 * `int(md5(word.encode()).hexdigest(), 16) % modulus`, exactly, without BigInt for the
 * moduli that occur in practice: the digest is read as a big-endian number and reduced
 * digit by digit (Horner's rule), keeping every intermediate below 2^53.
 */
export function md5Mod(word: string, modulus: number): number {
  const d = digestOf(word);
  if (modulus <= 0x200000) {
    // 32-bit digits: remainder < 2^21, so remainder * 2^32 + digit < 2^53.
    let r = 0;
    for (let i = 0; i < 16; i += 4) {
      const digit = ((d[i] << 24) | (d[i + 1] << 16) | (d[i + 2] << 8) | d[i + 3]) >>> 0;
      r = (r * 0x100000000 + digit) % modulus;
    }
    return r;
  }
  if (modulus <= 0x100000000000) {
    // Byte digits: remainder < 2^44, so remainder * 256 + byte < 2^53.
    let r = 0;
    for (let i = 0; i < 16; i++) r = (r * 256 + d[i]) % modulus;
    return r;
  }
  let value = 0n;
  for (let i = 0; i < 16; i++) value = (value << 8n) | BigInt(d[i]);
  return Number(value % BigInt(modulus));
}
