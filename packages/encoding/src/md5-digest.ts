/**
 * MD5 (RFC 1321) in plain JavaScript, for the hashing trick's many short words: one call
 * to node:crypto costs a few microseconds of native-call overhead per word, several times
 * more than hashing a one-block word here. Checked against node:crypto in the tests.
 */

const K = new Int32Array(64);
for (let i = 0; i < 64; i++) K[i] = Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) | 0;

const SHIFT = new Int32Array([
  7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
  5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
  4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
  6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
]);

const WORD = new Int32Array(64);
for (let i = 0; i < 64; i++) WORD[i] = i < 16 ? i : i < 32 ? (5 * i + 1) % 16 : i < 48 ? (3 * i + 5) % 16 : (7 * i) % 16;

const M = new Int32Array(16);
let padded = new Uint8Array(128);

/** The digest's four state words (a, b, c, d), each holding four digest bytes little-endian. */
export const md5State = new Int32Array(4);

/** MD5 of `bytes[0..length)`; the result is left in `md5State`. */
export function md5Into(bytes: Uint8Array, length: number): void {
  const total = (((length + 8) >> 6) + 1) << 6;
  if (total > padded.length) padded = new Uint8Array(Math.max(total, padded.length * 2));
  const p = padded;
  // Plain loops: subarray/set/fill allocate or call out, which costs more than a short word.
  for (let i = 0; i < length; i++) p[i] = bytes[i];
  p[length] = 0x80;
  for (let i = length + 1; i < total - 8; i++) p[i] = 0;
  const bits = length * 8;
  p[total - 8] = bits & 0xff;
  p[total - 7] = (bits >>> 8) & 0xff;
  p[total - 6] = (bits >>> 16) & 0xff;
  p[total - 5] = (bits >>> 24) & 0xff;
  const high = Math.floor(bits / 2 ** 32);
  p[total - 4] = high & 0xff;
  p[total - 3] = (high >>> 8) & 0xff;
  p[total - 2] = (high >>> 16) & 0xff;
  p[total - 1] = (high >>> 24) & 0xff;

  let a0 = 0x67452301;
  let b0 = 0xefcdab89 | 0;
  let c0 = 0x98badcfe | 0;
  let d0 = 0x10325476;
  for (let offset = 0; offset < total; offset += 64) {
    for (let j = 0; j < 16; j++) {
      const o = offset + 4 * j;
      M[j] = p[o] | (p[o + 1] << 8) | (p[o + 2] << 16) | (p[o + 3] << 24);
    }
    let a = a0;
    let b = b0;
    let c = c0;
    let d = d0;
    // Four rounds of sixteen steps, one boolean function each (no per-step branching).
    for (let i = 0; i < 16; i++) {
      const f = (((b & c) | (~b & d)) + a + K[i] + M[i]) | 0;
      a = d;
      d = c;
      c = b;
      const s = SHIFT[i];
      b = (b + ((f << s) | (f >>> (32 - s)))) | 0;
    }
    for (let i = 16; i < 32; i++) {
      const f = (((d & b) | (~d & c)) + a + K[i] + M[WORD[i]]) | 0;
      a = d;
      d = c;
      c = b;
      const s = SHIFT[i];
      b = (b + ((f << s) | (f >>> (32 - s)))) | 0;
    }
    for (let i = 32; i < 48; i++) {
      const f = ((b ^ c ^ d) + a + K[i] + M[WORD[i]]) | 0;
      a = d;
      d = c;
      c = b;
      const s = SHIFT[i];
      b = (b + ((f << s) | (f >>> (32 - s)))) | 0;
    }
    for (let i = 48; i < 64; i++) {
      const f = ((c ^ (b | ~d)) + a + K[i] + M[WORD[i]]) | 0;
      a = d;
      d = c;
      c = b;
      const s = SHIFT[i];
      b = (b + ((f << s) | (f >>> (32 - s)))) | 0;
    }
    a0 = (a0 + a) | 0;
    b0 = (b0 + b) | 0;
    c0 = (c0 + c) | 0;
    d0 = (d0 + d) | 0;
  }
  md5State[0] = a0;
  md5State[1] = b0;
  md5State[2] = c0;
  md5State[3] = d0;
}

/** State word `k` with its bytes reversed: digest bytes 4k … 4k+3 read as a big-endian unsigned number. */
export function bigEndianDigit(k: number): number {
  const w = md5State[k];
  return (((w & 0xff) << 24) | ((w & 0xff00) << 8) | ((w >>> 8) & 0xff00) | (w >>> 24)) >>> 0;
}
