/**
 * Decimal numbers straight from the bytes of a file, without making a string per token.
 *
 * Exactness: when the significant digits fit in 15 decimal digits and the power of ten
 * is at most 22, both the digits and 10^k are exact doubles, so one multiplication or
 * division rounds once, correctly (Clinger's fast path): the result is the double that
 * `parseFloat` gives. Anything else (long mantissas, big exponents, `nan`, `inf`) goes
 * to `parseFloat` on the token text, so every value equals `parseFloat(token)`.
 */

const POW10 = new Float64Array(23);
for (let i = 0, p = 1; i < 23; i++, p *= 10) POW10[i] = p;

const PYTHON_SPECIAL = /^[+-]?(nan|inf|infinity)$/i;
const DECIMAL_SYNTAX = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** What `parseDecimal` returns when the token is not a number (NaN is a legal value). */
export const NOT_A_NUMBER = Symbol('not a number');

/** Parses the token `bytes[start, end)`; returns NOT_A_NUMBER when it is not a decimal number. */
export function parseDecimal(bytes: Uint8Array, start: number, end: number): number | typeof NOT_A_NUMBER {
  const value = parseDecimalFast(bytes, start, end);
  return value === value ? value : parseDecimalSlow(bytes, start, end);
}

/**
 * The fast path: NaN when the token needs the slow path (or is not a number), since
 * a file's NaN values are spelled `nan` and never reach here as digits.
 */
export function parseDecimalFast(bytes: Uint8Array, start: number, end: number): number {
  // Every read checks i < end first: reading past a typed array's end deoptimizes.
  let i = start;
  let negative = false;
  let c = i < end ? bytes[i] : 0;
  if (c === 45 /* - */ || c === 43 /* + */) {
    negative = c === 45;
    i++;
  }
  let mantissa = 0;
  let significant = 0;
  let digits = 0;
  let exponent = 0;
  while (i < end) {
    c = bytes[i] - 48;
    if (c < 0 || c > 9) break;
    if (mantissa !== 0 || c !== 0) {
      mantissa = mantissa * 10 + c;
      significant++;
    }
    digits++;
    i++;
  }
  if (i < end && bytes[i] === 46 /* . */) {
    i++;
    while (i < end) {
      c = bytes[i] - 48;
      if (c < 0 || c > 9) break;
      if (mantissa !== 0 || c !== 0) {
        mantissa = mantissa * 10 + c;
        significant++;
      }
      exponent--;
      digits++;
      i++;
    }
  }
  if (digits === 0) return NaN;
  if (i < end) {
    c = bytes[i];
    if (c !== 101 && c !== 69 /* e E */) return NaN;
    i++;
    let negativeExponent = false;
    if (i < end && (bytes[i] === 45 || bytes[i] === 43)) {
      negativeExponent = bytes[i] === 45;
      i++;
    }
    let e = 0;
    let exponentDigits = 0;
    while (i < end) {
      c = bytes[i] - 48;
      if (c < 0 || c > 9) return NaN;
      if (e < 100000) e = e * 10 + c;
      exponentDigits++;
      i++;
    }
    if (exponentDigits === 0) return NaN;
    exponent += negativeExponent ? -e : e;
  }
  if (significant > 15) return NaN;
  let value: number;
  if (mantissa === 0) value = 0;
  else if (exponent === 0) value = mantissa;
  else if (exponent < 0 && exponent >= -22) value = mantissa / POW10[-exponent];
  else if (exponent > 0 && exponent <= 22) value = mantissa * POW10[exponent];
  else return NaN;
  return negative ? -value : value;
}

/** Every spelling Python's `float()` accepts from a vectors file: long mantissas, exponents, nan, inf. */
export function parseDecimalSlow(bytes: Uint8Array, start: number, end: number): number | typeof NOT_A_NUMBER {
  const token = latin1(bytes, start, end);
  if (DECIMAL_SYNTAX.test(token)) return Number.parseFloat(token);
  if (PYTHON_SPECIAL.test(token)) {
    const negative = token.startsWith('-');
    if (/nan/i.test(token)) return NaN;
    return negative ? -Infinity : Infinity;
  }
  return NOT_A_NUMBER;
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  let text = '';
  for (let i = start; i < end; i++) text += String.fromCharCode(bytes[i]);
  return text;
}

/**
 * The common case of a vectors line, fast: `bytes[start, end)` holds exactly `dim`
 * tokens, each after one space, each `-?digits[.digits]` with at most 9 significant
 * digits and at most 22 after the point. The mantissa then stays a small integer (int32
 * arithmetic, no float multiply chain) and one division by an exact power of ten rounds
 * once, correctly: the same double as `parseFloat`, stored as float32. Only trailing
 * spaces, tabs or a CR may follow the last value.
 *
 * Needs a sentinel: `bytes[end]` must exist and be neither a digit, `.`, `-` nor a
 * space (the line's `\n`), so no scan checks the end. Returns false, having written
 * an unspecified part of the row, when the line is anything else; the caller then
 * parses it with `parseDecimalRow`, which handles every spelling and reports errors.
 */
export function parseSimpleRow(bytes: Uint8Array, start: number, end: number, out: Float32Array, offset: number, dim: number): boolean {
  let p = start;
  for (let k = 0; k < dim; k++) {
    if (bytes[p] !== 32) return false;
    p++;
    let c = bytes[p];
    const negative = c === 45;
    if (negative) c = bytes[++p];
    let mantissa = 0;
    let significant = 0;
    const digitsStart = p;
    while (c >= 48 && c <= 57) {
      if (mantissa !== 0 || c !== 48) {
        if (significant === 9) return false;
        mantissa = mantissa * 10 + (c - 48);
        significant++;
      }
      c = bytes[++p];
    }
    let scale = 0;
    if (c === 46) {
      const fractionStart = ++p;
      c = bytes[p];
      while (c >= 48 && c <= 57) {
        if (mantissa !== 0 || c !== 48) {
          if (significant === 9) return false;
          mantissa = mantissa * 10 + (c - 48);
          significant++;
        }
        c = bytes[++p];
      }
      scale = p - fractionStart;
      if (p - 1 === digitsStart) return false; // a lone "."
    } else if (p === digitsStart) {
      return false;
    }
    if (scale > 22) return false;
    const value = mantissa / POW10[scale];
    out[offset + k] = negative ? -value : value;
  }
  while (p < end) {
    const c = bytes[p];
    if (c !== 32 && c !== 9 && c !== 13) return false;
    p++;
  }
  return true;
}

/**
 * Parses the whitespace-separated numbers of `bytes[start, end)` into
 * `out[offset …]`, one pass over the bytes with the number parsing inlined (this loop
 * is the whole cost of reading a text vectors file). Writes at most `limit` values.
 * Returns how many tokens there were, or `-1 - k` when token `k` is not a number.
 */
export function parseDecimalRow(bytes: Uint8Array, start: number, end: number, out: Float32Array, offset: number, limit: number): number {
  let p = start;
  let n = 0;
  for (;;) {
    let c = 0;
    while (p < end) {
      c = bytes[p];
      if (c !== 32 && (c - 9) >>> 0 > 4) break;
      p++;
    }
    if (p >= end) return n;
    const tokenStart = p;
    let negative = false;
    if (c === 45 || c === 43) {
      negative = c === 45;
      p++;
    }
    // Leading zeros count as digits here: GloVe's "-0.0033259" has 8, far from the 15 limit.
    let mantissa = 0;
    const digitsStart = p;
    let d = 0;
    while (p < end) {
      d = bytes[p] - 48;
      if (d >>> 0 > 9) break; // one unsigned compare for "not a digit"
      mantissa = mantissa * 10 + d;
      p++;
    }
    let digits = p - digitsStart;
    let exponent = 0;
    if (p < end && bytes[p] === 46) {
      p++;
      const fractionStart = p;
      while (p < end) {
        d = bytes[p] - 48;
        if (d >>> 0 > 9) break;
        mantissa = mantissa * 10 + d;
        p++;
      }
      exponent = fractionStart - p;
      digits -= exponent;
    }
    let simple = digits > 0 && digits <= 15;
    if (p < end) {
      c = bytes[p];
      if (c !== 32 && (c < 9 || c > 13)) simple = false;
    }
    let value: number;
    if (simple && exponent >= -22) {
      value = exponent === 0 ? mantissa : mantissa / POW10[-exponent];
      if (negative) value = -value;
    } else {
      // Exponents, long mantissas, nan, inf and junk: find the token's end, then the slow path.
      while (p < end) {
        c = bytes[p];
        if (c === 32 || (c >= 9 && c <= 13)) break;
        p++;
      }
      const slow = parseDecimalSlow(bytes, tokenStart, p);
      if (slow === NOT_A_NUMBER) return -1 - n;
      value = slow;
    }
    if (n < limit) out[offset + n] = value;
    n++;
  }
}
