/**
 * MD5 (RFC 1321) in plain JavaScript, for the hashing trick's many short words: one call
 * to node:crypto costs a few microseconds of native-call overhead per word, more than hashing
 * a one-block word here. The 64 steps are unrolled with their constants (T[i] =
 * floor(2^32 · |sin(i + 1)|), written as signed 32-bit integers so the sums stay small, and the RFC's shift amounts) inline, which V8 runs about twice
 * as fast as a table-driven loop. Checked against node:crypto in the tests.
 */

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
  const high = Math.floor(bits / 2 ** 32);
  for (let k = 0; k < 4; k++) {
    p[total - 8 + k] = (bits >>> (8 * k)) & 0xff;
    p[total - 4 + k] = (high >>> (8 * k)) & 0xff;
  }

  const state = md5State;
  state[0] = 0x67452301;
  state[1] = 0xefcdab89 | 0;
  state[2] = 0x98badcfe | 0;
  state[3] = 0x10325476;
  for (let o = 0; o < total; o += 64) compress(p, o, state);
}

/** One 64-byte block of RFC 1321, steps unrolled, added into `state`. */
function compress(p: Uint8Array, o: number, state: Int32Array): void {
  const m0 = p[o + 0] | (p[o + 1] << 8) | (p[o + 2] << 16) | (p[o + 3] << 24);
  const m1 = p[o + 4] | (p[o + 5] << 8) | (p[o + 6] << 16) | (p[o + 7] << 24);
  const m2 = p[o + 8] | (p[o + 9] << 8) | (p[o + 10] << 16) | (p[o + 11] << 24);
  const m3 = p[o + 12] | (p[o + 13] << 8) | (p[o + 14] << 16) | (p[o + 15] << 24);
  const m4 = p[o + 16] | (p[o + 17] << 8) | (p[o + 18] << 16) | (p[o + 19] << 24);
  const m5 = p[o + 20] | (p[o + 21] << 8) | (p[o + 22] << 16) | (p[o + 23] << 24);
  const m6 = p[o + 24] | (p[o + 25] << 8) | (p[o + 26] << 16) | (p[o + 27] << 24);
  const m7 = p[o + 28] | (p[o + 29] << 8) | (p[o + 30] << 16) | (p[o + 31] << 24);
  const m8 = p[o + 32] | (p[o + 33] << 8) | (p[o + 34] << 16) | (p[o + 35] << 24);
  const m9 = p[o + 36] | (p[o + 37] << 8) | (p[o + 38] << 16) | (p[o + 39] << 24);
  const m10 = p[o + 40] | (p[o + 41] << 8) | (p[o + 42] << 16) | (p[o + 43] << 24);
  const m11 = p[o + 44] | (p[o + 45] << 8) | (p[o + 46] << 16) | (p[o + 47] << 24);
  const m12 = p[o + 48] | (p[o + 49] << 8) | (p[o + 50] << 16) | (p[o + 51] << 24);
  const m13 = p[o + 52] | (p[o + 53] << 8) | (p[o + 54] << 16) | (p[o + 55] << 24);
  const m14 = p[o + 56] | (p[o + 57] << 8) | (p[o + 58] << 16) | (p[o + 59] << 24);
  const m15 = p[o + 60] | (p[o + 61] << 8) | (p[o + 62] << 16) | (p[o + 63] << 24);
  let a = state[0];
  let b = state[1];
  let c = state[2];
  let d = state[3];
  let t: number;
  // round 1: (b & c) | (~b & d)
  t = (a + ((b & c) | (~b & d)) + -680876936 + m0) | 0;
  a = (b + ((t << 7) | (t >>> 25))) | 0;
  t = (d + ((a & b) | (~a & c)) + -389564586 + m1) | 0;
  d = (a + ((t << 12) | (t >>> 20))) | 0;
  t = (c + ((d & a) | (~d & b)) + 606105819 + m2) | 0;
  c = (d + ((t << 17) | (t >>> 15))) | 0;
  t = (b + ((c & d) | (~c & a)) + -1044525330 + m3) | 0;
  b = (c + ((t << 22) | (t >>> 10))) | 0;
  t = (a + ((b & c) | (~b & d)) + -176418897 + m4) | 0;
  a = (b + ((t << 7) | (t >>> 25))) | 0;
  t = (d + ((a & b) | (~a & c)) + 1200080426 + m5) | 0;
  d = (a + ((t << 12) | (t >>> 20))) | 0;
  t = (c + ((d & a) | (~d & b)) + -1473231341 + m6) | 0;
  c = (d + ((t << 17) | (t >>> 15))) | 0;
  t = (b + ((c & d) | (~c & a)) + -45705983 + m7) | 0;
  b = (c + ((t << 22) | (t >>> 10))) | 0;
  t = (a + ((b & c) | (~b & d)) + 1770035416 + m8) | 0;
  a = (b + ((t << 7) | (t >>> 25))) | 0;
  t = (d + ((a & b) | (~a & c)) + -1958414417 + m9) | 0;
  d = (a + ((t << 12) | (t >>> 20))) | 0;
  t = (c + ((d & a) | (~d & b)) + -42063 + m10) | 0;
  c = (d + ((t << 17) | (t >>> 15))) | 0;
  t = (b + ((c & d) | (~c & a)) + -1990404162 + m11) | 0;
  b = (c + ((t << 22) | (t >>> 10))) | 0;
  t = (a + ((b & c) | (~b & d)) + 1804603682 + m12) | 0;
  a = (b + ((t << 7) | (t >>> 25))) | 0;
  t = (d + ((a & b) | (~a & c)) + -40341101 + m13) | 0;
  d = (a + ((t << 12) | (t >>> 20))) | 0;
  t = (c + ((d & a) | (~d & b)) + -1502002290 + m14) | 0;
  c = (d + ((t << 17) | (t >>> 15))) | 0;
  t = (b + ((c & d) | (~c & a)) + 1236535329 + m15) | 0;
  b = (c + ((t << 22) | (t >>> 10))) | 0;
  // round 2: (d & b) | (~d & c)
  t = (a + ((d & b) | (~d & c)) + -165796510 + m1) | 0;
  a = (b + ((t << 5) | (t >>> 27))) | 0;
  t = (d + ((c & a) | (~c & b)) + -1069501632 + m6) | 0;
  d = (a + ((t << 9) | (t >>> 23))) | 0;
  t = (c + ((b & d) | (~b & a)) + 643717713 + m11) | 0;
  c = (d + ((t << 14) | (t >>> 18))) | 0;
  t = (b + ((a & c) | (~a & d)) + -373897302 + m0) | 0;
  b = (c + ((t << 20) | (t >>> 12))) | 0;
  t = (a + ((d & b) | (~d & c)) + -701558691 + m5) | 0;
  a = (b + ((t << 5) | (t >>> 27))) | 0;
  t = (d + ((c & a) | (~c & b)) + 38016083 + m10) | 0;
  d = (a + ((t << 9) | (t >>> 23))) | 0;
  t = (c + ((b & d) | (~b & a)) + -660478335 + m15) | 0;
  c = (d + ((t << 14) | (t >>> 18))) | 0;
  t = (b + ((a & c) | (~a & d)) + -405537848 + m4) | 0;
  b = (c + ((t << 20) | (t >>> 12))) | 0;
  t = (a + ((d & b) | (~d & c)) + 568446438 + m9) | 0;
  a = (b + ((t << 5) | (t >>> 27))) | 0;
  t = (d + ((c & a) | (~c & b)) + -1019803690 + m14) | 0;
  d = (a + ((t << 9) | (t >>> 23))) | 0;
  t = (c + ((b & d) | (~b & a)) + -187363961 + m3) | 0;
  c = (d + ((t << 14) | (t >>> 18))) | 0;
  t = (b + ((a & c) | (~a & d)) + 1163531501 + m8) | 0;
  b = (c + ((t << 20) | (t >>> 12))) | 0;
  t = (a + ((d & b) | (~d & c)) + -1444681467 + m13) | 0;
  a = (b + ((t << 5) | (t >>> 27))) | 0;
  t = (d + ((c & a) | (~c & b)) + -51403784 + m2) | 0;
  d = (a + ((t << 9) | (t >>> 23))) | 0;
  t = (c + ((b & d) | (~b & a)) + 1735328473 + m7) | 0;
  c = (d + ((t << 14) | (t >>> 18))) | 0;
  t = (b + ((a & c) | (~a & d)) + -1926607734 + m12) | 0;
  b = (c + ((t << 20) | (t >>> 12))) | 0;
  // round 3: b ^ c ^ d
  t = (a + (b ^ c ^ d) + -378558 + m5) | 0;
  a = (b + ((t << 4) | (t >>> 28))) | 0;
  t = (d + (a ^ b ^ c) + -2022574463 + m8) | 0;
  d = (a + ((t << 11) | (t >>> 21))) | 0;
  t = (c + (d ^ a ^ b) + 1839030562 + m11) | 0;
  c = (d + ((t << 16) | (t >>> 16))) | 0;
  t = (b + (c ^ d ^ a) + -35309556 + m14) | 0;
  b = (c + ((t << 23) | (t >>> 9))) | 0;
  t = (a + (b ^ c ^ d) + -1530992060 + m1) | 0;
  a = (b + ((t << 4) | (t >>> 28))) | 0;
  t = (d + (a ^ b ^ c) + 1272893353 + m4) | 0;
  d = (a + ((t << 11) | (t >>> 21))) | 0;
  t = (c + (d ^ a ^ b) + -155497632 + m7) | 0;
  c = (d + ((t << 16) | (t >>> 16))) | 0;
  t = (b + (c ^ d ^ a) + -1094730640 + m10) | 0;
  b = (c + ((t << 23) | (t >>> 9))) | 0;
  t = (a + (b ^ c ^ d) + 681279174 + m13) | 0;
  a = (b + ((t << 4) | (t >>> 28))) | 0;
  t = (d + (a ^ b ^ c) + -358537222 + m0) | 0;
  d = (a + ((t << 11) | (t >>> 21))) | 0;
  t = (c + (d ^ a ^ b) + -722521979 + m3) | 0;
  c = (d + ((t << 16) | (t >>> 16))) | 0;
  t = (b + (c ^ d ^ a) + 76029189 + m6) | 0;
  b = (c + ((t << 23) | (t >>> 9))) | 0;
  t = (a + (b ^ c ^ d) + -640364487 + m9) | 0;
  a = (b + ((t << 4) | (t >>> 28))) | 0;
  t = (d + (a ^ b ^ c) + -421815835 + m12) | 0;
  d = (a + ((t << 11) | (t >>> 21))) | 0;
  t = (c + (d ^ a ^ b) + 530742520 + m15) | 0;
  c = (d + ((t << 16) | (t >>> 16))) | 0;
  t = (b + (c ^ d ^ a) + -995338651 + m2) | 0;
  b = (c + ((t << 23) | (t >>> 9))) | 0;
  // round 4: c ^ (b | ~d)
  t = (a + (c ^ (b | ~d)) + -198630844 + m0) | 0;
  a = (b + ((t << 6) | (t >>> 26))) | 0;
  t = (d + (b ^ (a | ~c)) + 1126891415 + m7) | 0;
  d = (a + ((t << 10) | (t >>> 22))) | 0;
  t = (c + (a ^ (d | ~b)) + -1416354905 + m14) | 0;
  c = (d + ((t << 15) | (t >>> 17))) | 0;
  t = (b + (d ^ (c | ~a)) + -57434055 + m5) | 0;
  b = (c + ((t << 21) | (t >>> 11))) | 0;
  t = (a + (c ^ (b | ~d)) + 1700485571 + m12) | 0;
  a = (b + ((t << 6) | (t >>> 26))) | 0;
  t = (d + (b ^ (a | ~c)) + -1894986606 + m3) | 0;
  d = (a + ((t << 10) | (t >>> 22))) | 0;
  t = (c + (a ^ (d | ~b)) + -1051523 + m10) | 0;
  c = (d + ((t << 15) | (t >>> 17))) | 0;
  t = (b + (d ^ (c | ~a)) + -2054922799 + m1) | 0;
  b = (c + ((t << 21) | (t >>> 11))) | 0;
  t = (a + (c ^ (b | ~d)) + 1873313359 + m8) | 0;
  a = (b + ((t << 6) | (t >>> 26))) | 0;
  t = (d + (b ^ (a | ~c)) + -30611744 + m15) | 0;
  d = (a + ((t << 10) | (t >>> 22))) | 0;
  t = (c + (a ^ (d | ~b)) + -1560198380 + m6) | 0;
  c = (d + ((t << 15) | (t >>> 17))) | 0;
  t = (b + (d ^ (c | ~a)) + 1309151649 + m13) | 0;
  b = (c + ((t << 21) | (t >>> 11))) | 0;
  t = (a + (c ^ (b | ~d)) + -145523070 + m4) | 0;
  a = (b + ((t << 6) | (t >>> 26))) | 0;
  t = (d + (b ^ (a | ~c)) + -1120210379 + m11) | 0;
  d = (a + ((t << 10) | (t >>> 22))) | 0;
  t = (c + (a ^ (d | ~b)) + 718787259 + m2) | 0;
  c = (d + ((t << 15) | (t >>> 17))) | 0;
  t = (b + (d ^ (c | ~a)) + -343485551 + m9) | 0;
  b = (c + ((t << 21) | (t >>> 11))) | 0;
  state[0] = (state[0] + a) | 0;
  state[1] = (state[1] + b) | 0;
  state[2] = (state[2] + c) | 0;
  state[3] = (state[3] + d) | 0;
}

/** State word `k` with its bytes reversed: digest bytes 4k … 4k+3 read as a big-endian unsigned number. */
export function bigEndianDigit(k: number): number {
  const w = md5State[k];
  return (((w & 0xff) << 24) | ((w & 0xff00) << 8) | ((w >>> 8) & 0xff00) | (w >>> 24)) >>> 0;
}
