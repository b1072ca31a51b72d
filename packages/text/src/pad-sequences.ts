import { DenseMatrix } from './dense-matrix.js';
import { InvalidOptionError, TokenIdError } from './errors.js';
import { isRagged, type RaggedSequences } from './ragged.js';
import { describeValue } from './text-to-word-sequence.js';

export interface PadSequencesOptions {
  /** Row length; default: the longest sequence. */
  maxlen?: number | null;
  /** 'int32' (Keras's default) truncates floats toward zero; 'float32' keeps them. */
  dtype?: 'int32' | 'float32';
  /** Where padding goes. Default 'pre'. */
  padding?: 'pre' | 'post';
  /** Which end is cut from sequences longer than maxlen. Default 'pre'. */
  truncating?: 'pre' | 'post';
  /** The padding value. Default 0. */
  value?: number;
}

/**
 * Keras's `pad_sequences`: a `rows × maxlen` matrix in one typed array (row-major).
 * Takes plain arrays, typed arrays, or ragged `{ values, offsets }` sequences.
 * One difference: `maxlen: 0` gives empty rows, where Keras fails on a broadcast error.
 */
export function padSequences(
  sequences: ArrayLike<ArrayLike<number>> | RaggedSequences,
  options?: PadSequencesOptions & { dtype?: 'int32' },
): DenseMatrix<Int32Array>;
export function padSequences(
  sequences: ArrayLike<ArrayLike<number>> | RaggedSequences,
  options: PadSequencesOptions & { dtype: 'float32' },
): DenseMatrix<Float32Array>;
export function padSequences(
  sequences: ArrayLike<ArrayLike<number>> | RaggedSequences,
  options?: PadSequencesOptions,
): DenseMatrix<Int32Array> | DenseMatrix<Float32Array>;
export function padSequences(
  sequences: ArrayLike<ArrayLike<number>> | RaggedSequences,
  options: PadSequencesOptions = {},
): DenseMatrix<Int32Array> | DenseMatrix<Float32Array> {
  const { dtype = 'int32', padding = 'pre', truncating = 'pre', value = 0 } = options;
  if (dtype !== 'int32' && dtype !== 'float32')
    throw new InvalidOptionError('dtype', `dtype must be "int32" or "float32", got ${describeValue(dtype)}`);
  if (padding !== 'pre' && padding !== 'post')
    throw new InvalidOptionError('padding', `padding must be "pre" or "post", got ${describeValue(padding)}`);
  if (truncating !== 'pre' && truncating !== 'post') {
    throw new InvalidOptionError('truncating', `truncating must be "pre" or "post", got ${describeValue(truncating)}`);
  }
  if (typeof value !== 'number' || Number.isNaN(value) || (dtype === 'int32' && !fitsInt32(value))) {
    throw new InvalidOptionError(
      'value',
      `value must be a number${dtype === 'int32' ? ' within the int32 range' : ''}, got ${describeValue(value)}`,
    );
  }

  const ragged = isRagged(sequences) ? sequences : undefined;
  const rowCount = ragged ? ragged.offsets.length - 1 : checkRows(sequences as ArrayLike<ArrayLike<number>>);
  const rows = ragged ? undefined : (sequences as ArrayLike<ArrayLike<number>>);
  const lengthOf = ragged ? (i: number) => ragged.offsets[i + 1]! - ragged.offsets[i]! : (i: number) => rows![i]!.length;

  let maxlen = options.maxlen ?? null;
  if (maxlen === null) {
    maxlen = 0;
    for (let i = 0; i < rowCount; i++) maxlen = Math.max(maxlen, lengthOf(i));
  } else if (typeof maxlen !== 'number' || !Number.isInteger(maxlen) || maxlen < 0) {
    throw new InvalidOptionError('maxlen', `maxlen must be null or an integer >= 0, got ${describeValue(maxlen)}`);
  }

  const out = dtype === 'int32' ? new Int32Array(rowCount * maxlen) : new Float32Array(rowCount * maxlen);
  if (value !== 0) out.fill(value);
  const isInt = dtype === 'int32';
  for (let i = 0; i < rowCount; i++) {
    const length = lengthOf(i);
    const take = Math.min(length, maxlen);
    if (take === 0) continue;
    const from = truncating === 'pre' ? length - take : 0;
    const at = i * maxlen + (padding === 'pre' ? maxlen - take : 0);
    if (ragged) {
      const start = ragged.offsets[i]! + from;
      // Int32 ids need no conversion; a plain copy is a memmove.
      out.set(ragged.values.subarray(start, start + take), at);
      continue;
    }
    const seq = rows![i]!;
    if (isInt && seq instanceof Int32Array) out.set(seq.subarray(from, from + take), at);
    else if (isInt) copyInt32(seq, from, take, out as Int32Array, at, i);
    else copyFloat32(seq, from, take, out as Float32Array, at, i);
  }
  return isInt ? new DenseMatrix(out as Int32Array, rowCount, maxlen) : new DenseMatrix(out as Float32Array, rowCount, maxlen);
}

function copyInt32(seq: ArrayLike<number>, from: number, take: number, out: Int32Array, at: number, row: number): void {
  for (let k = 0; k < take; k++) {
    const v = seq[from + k]!;
    const t = v | 0;
    // Fast path: already an int32. Otherwise check before the typed array silently wraps or zeroes it.
    out[at + k] = t === v ? t : checkValue(v, row, from + k, true);
  }
}

function copyFloat32(seq: ArrayLike<number>, from: number, take: number, out: Float32Array, at: number, row: number): void {
  for (let k = 0; k < take; k++) {
    const v = seq[from + k]!;
    out[at + k] = typeof v === 'number' && v === v ? v : checkValue(v, row, from + k, false);
  }
}

function checkRows(sequences: ArrayLike<ArrayLike<number>>): number {
  if (sequences === null || typeof sequences !== 'object' || typeof sequences.length !== 'number') {
    throw new InvalidOptionError('sequences', `padSequences expects an array of sequences, got ${describeValue(sequences)}`);
  }
  for (let i = 0; i < sequences.length; i++) {
    const seq = sequences[i];
    if (seq === null || typeof seq !== 'object' || typeof seq.length !== 'number') {
      throw new InvalidOptionError('sequences', `sequence ${i} is ${describeValue(seq)}; expected an array of numbers`);
    }
  }
  return sequences.length;
}

function fitsInt32(v: number): boolean {
  return Number.isFinite(v) && Math.trunc(v) >= -2147483648 && Math.trunc(v) <= 2147483647;
}

/** Values off the fast path: floats (truncated toward zero for int32, like numpy), or errors. */
function checkValue(v: unknown, row: number, column: number, isInt: boolean): number {
  if (typeof v !== 'number' || Number.isNaN(v)) {
    throw new TokenIdError(`sequence ${row}, position ${column}: ${describeValue(v)} is not a number`, row, column);
  }
  if (isInt) {
    if (!fitsInt32(v)) throw new TokenIdError(`sequence ${row}, position ${column}: ${v} does not fit in int32`, row, column);
    return Math.trunc(v);
  }
  return v;
}
