// @ts-nocheck: AssemblyScript source (built by scripts/build-wasm.mjs into wasm/parse-lines.wasm).
//
// The hot loop of reading a text vectors file: `word v1 … vN` lines, values parsed with
// WebAssembly SIMD. On this project's 2-vCPU machines a scalar byte loop, in JavaScript or
// in C, spends about 60 ns per value on branch mispredictions (number length and sign are
// random); here each value is one 16-byte load, two lane masks and a shuffle.
//
// Exactness: a value is taken here only if it is `-?digits[.digits]` with at most 15
// digits in all (so the mantissa is an exact integer below 2^53) and at most 15 after the
// point (so 10^scale is an exact double): one division then rounds once, correctly, to the
// double `parseFloat` gives, which is stored as float32 (round to nearest even), exactly as
// the JavaScript path does. Anything else marks the line for the JavaScript parser.

/** 10^k, exact doubles. */
const POW10 = memory.data<f64>([1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15]);

/**
 * Shuffle masks, one per (token length L in 1..15, dot position in 0..L, L for none): lane j
 * takes the token byte holding the digit that belongs there when the digits are right-aligned
 * in 16 lanes with the dot dropped; 0xff (which yields 0) for the leading lanes.
 */
const SHUFFLE = memory.data(16 * 17 * 16, 16);
for (let length = 1; length < 16; length++) {
  for (let dot = 0; dot <= length; dot++) {
    const digits = dot < length ? length - 1 : length;
    for (let lane = 0; lane < 16; lane++) {
      const k = lane - (16 - digits);
      store<u8>(SHUFFLE + (length * 17 + dot) * 16 + lane, k < 0 ? 0xff : <u8>(k < dot ? k : k + 1));
    }
  }
}

/**
 * Parses the `dim` values after the word (p at the space that ends it) into out[0, dim).
 * Returns the address of the line's newline, or 0 when the line is not of the simple form
 * (then an unspecified part of out was written).
 */
@inline function parseValues(p: usize, out: usize, dim: i32): usize {
  const zero = i8x16.splat(48);
  const nine = i8x16.splat(9);
  const dotChar = i8x16.splat(46);
  const lowByte = i16x8.splat(0xff);
  const ten = i16x8.splat(10);
  const hundredOne = i16x8(100, 1, 100, 1, 100, 1, 100, 1);
  const tenThousandOne = i16x8(10000, 1, 10000, 1, 10000, 1, 10000, 1);
  for (let k = 0; k < dim; k++) {
    if (load<u8>(p) != 32) return 0;
    p++;
    const negative = <u64>(load<u8>(p) == 45);
    p += <usize>negative;
    const bytes = v128.load(p);
    const digits = i8x16.sub(bytes, zero);
    const digitMask = i8x16.bitmask(i8x16.le_u(digits, nine));
    const dotMask = i8x16.bitmask(i8x16.eq(bytes, dotChar));
    // The token runs to the first byte that is neither a digit nor a dot.
    const length = ctz<u32>(~(digitMask | dotMask));
    if (length - 1 >= 15) return 0; // empty, or 16 bytes and more
    const dots = dotMask & ((1 << length) - 1);
    if ((dots & (dots - 1)) != 0) return 0; // two dots
    if (dots != 0 && length == 1) return 0; // a lone dot
    const dot = dots != 0 ? ctz<u32>(dots) : length;
    const aligned = i8x16.swizzle(digits, v128.load(SHUFFLE + ((length * 17 + dot) << 4)));
    // Digits to pairs (d0*10 + d1 in 16-bit lanes), pairs to fours (32-bit lanes).
    const pairs = i16x8.add(i16x8.mul(v128.and(aligned, lowByte), ten), i16x8.shr_u(aligned, 8));
    const fours = i32x4.dot_i16x8_s(pairs, hundredOne);
    // Fours (each < 10^4, so 16 bits) to eights: lane 0 the high 8 digits, lane 1 the low 8.
    const eights = i32x4.dot_i16x8_s(i16x8.narrow_i32x4_s(fours, fours), tenThousandOne);
    let mantissa = <f64>i32x4.extract_lane(eights, 1);
    if (length > 8) mantissa += <f64>i32x4.extract_lane(eights, 0) * 1e8;
    const scale = dots != 0 ? length - dot - 1 : 0;
    const magnitude = mantissa / load<f64>(POW10 + (<usize>scale << 3));
    // The sign as a bit, not a branch: signs are random, and -0 stays -0.
    const value = reinterpret<f64>(reinterpret<u64>(magnitude) | (negative << 63));
    store<f32>(out + (<usize>k << 2), <f32>value);
    p += length;
  }
  let c = load<u8>(p);
  while (c == 32 || c == 9 || c == 13) c = load<u8>(++p);
  return c == 10 ? p : 0;
}

/**
 * Reads the lines of input[0, length), which must end with a newline and be followed by 16
 * readable bytes, stopping after `maxLines` lines. For line i: meta[3i] = its start,
 * meta[3i+1] = the end of its word (first byte <= 32), meta[3i+2] = (newline << 1) | parsed,
 * offsets from input. A parsed line's `dim` values go to the next free row of `out` (rows
 * in line order). Returns the number of lines read.
 */
export function parseLines(input: usize, length: i32, dim: i32, out: usize, meta: usize, maxLines: i32): i32 {
  let p = input;
  const end = input + <usize>length;
  let lines = 0;
  let row: usize = out;
  const rowBytes = <usize>dim << 2;
  while (lines < maxLines && p < end) {
    let wordEnd = p;
    while (load<u8>(wordEnd) > 32) wordEnd++;
    let newline: usize = 0;
    if (wordEnd > p && load<u8>(wordEnd) == 32) newline = parseValues(wordEnd, row, dim);
    const parsed = newline != 0;
    if (parsed) {
      row += rowBytes;
    } else {
      newline = wordEnd;
      while (load<u8>(newline) != 10) newline++;
    }
    const m = meta + <usize>lines * 12;
    store<i32>(m, <i32>(p - input));
    store<i32>(m, <i32>(wordEnd - input), 4);
    store<i32>(m, (<i32>(newline - input) << 1) | <i32>parsed, 8);
    lines++;
    p = newline + 1;
  }
  return lines;
}
