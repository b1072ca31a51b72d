import type { Series } from './series.js';

/**
 * Phase-ordered copies of series rows (see WindowReader), found again by their contents.
 *
 * Building a copy writes as much memory as the rows hold, and allocating that much is on its
 * own enough to make V8 run a full collection. A generator made again over the same rows (the
 * next experiment on the same data, generators rebuilt per run) would pay both again. So a
 * copy is kept under a fingerprint of the rows it was made from: two independent 32-bit hashes
 * of their bits, in one pass that reads the rows once (a few ms for a Jena-sized series). A
 * series changed in place fingerprints differently and gets a fresh copy, never a stale one.
 *
 * Copies are held weakly: one lives while a reader uses it, and after that until the next
 * full collection, as without the cache.
 */
const copies = new Map<string, WeakRef<Float32Array>>();

/** The key of rows [lo, lo + span) of `series` read with `stride`. */
export function phaseCopyKey(series: Series, stride: number, lo: number, span: number): string {
  const hashes = new Int32Array([0x811c9dc5 | 0, 0x2545f491 | 0]);
  const width = series.rowMajor instanceof Float64Array ? 2 : 1;
  if (series.rowMajor) {
    const values = series.rowMajor;
    const bits = new Int32Array(values.buffer, values.byteOffset, values.length * width);
    mix(hashes, bits, lo * series.features * width, (lo + span) * series.features * width);
  } else {
    for (const column of series.columnArrays!) mix(hashes, new Int32Array(column.buffer, column.byteOffset, column.length), lo, lo + span);
  }
  const layout = series.rowMajor ? `rows${width}` : 'columns';
  return `${layout}:${series.features}:${stride}:${span}:${hashes[0]! >>> 0}:${hashes[1]! >>> 0}`;
}

/** Two FNV-style hashes with different multipliers over bits[start, end), carried on in `hashes`. */
function mix(hashes: Int32Array, bits: Int32Array, start: number, end: number): void {
  let h0 = hashes[0]!;
  let h1 = hashes[1]!;
  for (let i = start; i < end; i++) {
    const v = bits[i]!;
    h0 = Math.imul(h0 ^ v, 0x01000193);
    h1 = Math.imul(h1 ^ v, 0x5bd1e995);
  }
  hashes[0] = h0;
  hashes[1] = h1;
}

export function findPhaseCopy(key: string): Float32Array | undefined {
  return copies.get(key)?.deref();
}

export function keepPhaseCopy(key: string, copy: Float32Array): void {
  for (const [k, ref] of copies) if (ref.deref() === undefined) copies.delete(k);
  copies.set(key, new WeakRef(copy));
}
