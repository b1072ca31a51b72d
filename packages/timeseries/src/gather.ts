import { findPhaseCopy, keepPhaseCopy, phaseCopyKey } from './phase-copies.js';
import { checkFinite, type Series } from './series.js';

/**
 * Copies windows out of a series into batch buffers. A window is `timesteps` rows taken
 * `stride` apart from a start row, every feature, row-major `[timesteps, features]`.
 *
 * In-order batches need no help: consecutive windows overlap, so each sample is mostly a
 * `copyWithin` of an earlier one in the same batch (`gatherEvenlySpaced`).
 *
 * Random rows are harder. Element-by-element typed-array loops are several times slower
 * than a block copy (`TypedArray.prototype.set`), and a window with stride > 1 is not one
 * block of the series. So for random access, unless told not to, the reader keeps a
 * second, phase-ordered Float32 copy of the rows it may read: rows `lo, lo+s, lo+2s, …`,
 * then `lo+1, lo+1+s, …`, and so on (s = stride). Every window is then one contiguous
 * block of that copy. It costs at most one more copy of the series (only the rows in
 * range) and never grows with the number of batches; a reader over the same values soon
 * after finds the copy again (phase-copies.ts). With `contiguous: false` memory stays at one
 * batch and windows are gathered row by row.
 *
 * The reader also checks that the rows it may read are finite (NonFiniteValueError), in
 * the same pass as the copy when it makes one.
 */
export class WindowReader {
  private readonly series: Series;
  private readonly stride: number;
  private readonly F: number;
  /** Block-copy source: the phase-ordered copy, or the series itself when it is already row-major Float32 and stride is 1. */
  private readonly blocks: Float32Array | null;
  private readonly lo: number;
  private readonly phaseOffsets: Int32Array;

  /**
   * @param lo first row any window may read
   * @param hi last row any window may read (inclusive)
   */
  constructor(series: Series, stride: number, lo: number, hi: number, contiguous = true) {
    this.series = series;
    this.stride = stride;
    this.F = series.features;
    this.lo = lo;
    this.phaseOffsets = new Int32Array(stride + 1);
    if (!contiguous || hi < lo) {
      checkFinite(series, lo, hi + 1);
      this.blocks = null;
      return;
    }
    if (stride === 1 && series.rowMajor instanceof Float32Array) {
      checkFinite(series, lo, hi + 1);
      this.blocks = series.rowMajor;
      this.lo = 0;
      return;
    }
    const span = hi - lo + 1;
    for (let p = 0; p < stride; p++) {
      const count = p < span ? Math.floor((span - 1 - p) / stride) + 1 : 0;
      this.phaseOffsets[p + 1] = this.phaseOffsets[p] + count;
    }
    const key = phaseCopyKey(series, stride, lo, span);
    // A copy found again was checked when it was built from these same values.
    const found = findPhaseCopy(key);
    if (found !== undefined) {
      this.blocks = found;
      return;
    }
    const [copy, finite] = this.buildPhaseCopy(span);
    // The copy only notices that something is not finite; a rescan says where.
    if (!finite) checkFinite(series, lo, hi + 1);
    keepPhaseCopy(key, copy);
    this.blocks = copy;
  }

  private buildPhaseCopy(span: number): [Float32Array, boolean] {
    const { series, stride, F, lo } = this;
    const out = new Float32Array(span * F);
    // One sequential pass over the source, each row appended to its phase's run: reading the
    // series once instead of once per phase (stride times) is what bounds this copy.
    const at = new Int32Array(stride);
    for (let p = 0; p < stride; p++) at[p] = this.phaseOffsets[p] * F;
    // v - v is 0 for every finite v and NaN for NaN and ±Infinity.
    let finite = 0;
    const end = lo + span;
    if (series.rowMajor) {
      const src = series.rowMajor;
      let s = lo * F;
      for (let r = lo; r < end;) {
        for (let p = 0; p < stride && r < end; p++, r++) {
          let o = at[p];
          for (let f = 0; f < F; f++) {
            const v = src[s++];
            finite += v - v;
            out[o++] = v;
          }
          at[p] = o;
        }
      }
      return [out, finite === 0];
    }
    const cols = series.columnArrays!;
    for (let r = lo; r < end;) {
      for (let p = 0; p < stride && r < end; p++, r++) {
        let o = at[p];
        for (let f = 0; f < F; f++) {
          const v = cols[f][r];
          finite += v - v;
          out[o++] = v;
        }
        at[p] = o;
      }
    }
    return [out, finite === 0];
  }

  /**
   * Writes sample `j` (rows `starts[j] + t*stride`, t < timesteps, reversed in time when
   * `reverse`) to `out[j*timesteps*F …]` for each j < n.
   */
  gather(starts: Int32Array, n: number, timesteps: number, reverse: boolean, out: Float32Array): void {
    const F = this.F;
    const block = timesteps * F;
    const blocks = this.blocks;
    if (blocks) {
      const { lo, stride } = this;
      for (let j = 0; j < n; j++) {
        const d = starts[j] - lo;
        const p = d % stride;
        const from = (this.phaseOffsets[p] + (d - p) / stride) * F;
        if (!reverse) {
          out.set(blocks.subarray(from, from + block), j * block);
        } else {
          let o = j * block;
          for (let t = timesteps - 1; t >= 0; t--) {
            const s = from + t * F;
            for (let f = 0; f < F; f++) out[o++] = blocks[s + f];
          }
        }
      }
      return;
    }
    gatherRowByRow(this.series, starts, n, timesteps, this.stride, reverse, out);
  }

  /** Samples starting at `first + j*spacing`, j < n: in-order batches, read straight from the series. */
  gatherEvenlySpaced(first: number, spacing: number, n: number, timesteps: number, reverse: boolean, out: Float32Array): void {
    gatherEvenlySpaced(this.series, first, spacing, n, timesteps, this.stride, reverse, out);
  }
}

/**
 * Writes timesteps `[from, to)` of the window starting at row `start` into a sample that
 * begins at `out[base]` (timestep t lands at slot t, or at timesteps-1-t when reversed).
 */
function gatherTimesteps(
  series: Series,
  start: number,
  stride: number,
  from: number,
  to: number,
  timesteps: number,
  reverse: boolean,
  out: Float32Array,
  base: number,
): void {
  const F = series.features;
  if (series.rowMajor) {
    const src = series.rowMajor;
    for (let t = from; t < to; t++) {
      let o = base + (reverse ? timesteps - 1 - t : t) * F;
      const s = (start + t * stride) * F;
      for (let f = 0; f < F; f++) out[o++] = src[s + f];
    }
    return;
  }
  const cols = series.columnArrays!;
  for (let t = from; t < to; t++) {
    const o = base + (reverse ? timesteps - 1 - t : t) * F;
    const r = start + t * stride;
    for (let f = 0; f < F; f++) out[o + f] = cols[f][r];
  }
}

function gatherRowByRow(
  series: Series,
  starts: Int32Array,
  n: number,
  timesteps: number,
  stride: number,
  reverse: boolean,
  out: Float32Array,
): void {
  const block = timesteps * series.features;
  for (let j = 0; j < n; j++) gatherTimesteps(series, starts[j], stride, 0, timesteps, timesteps, reverse, out, j * block);
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * In-order batches without any copy of the series: samples `j` start at `first + j*spacing`.
 * Sample `j` shares all but `shift` timesteps with sample `j - q` (the smallest q for which
 * the windows line up), so it is one `copyWithin` inside the batch plus `shift` new rows.
 */
export function gatherEvenlySpaced(
  series: Series,
  first: number,
  spacing: number,
  n: number,
  timesteps: number,
  stride: number,
  reverse: boolean,
  out: Float32Array,
): void {
  const F = series.features;
  const block = timesteps * F;
  const q = stride / gcd(spacing, stride);
  const shift = (q * spacing) / stride;
  for (let j = 0; j < n; j++) {
    const start = first + j * spacing;
    const base = j * block;
    if (j < q || shift >= timesteps) {
      gatherTimesteps(series, start, stride, 0, timesteps, timesteps, reverse, out, base);
      continue;
    }
    const prev = (j - q) * block;
    const kept = (timesteps - shift) * F;
    if (reverse) out.copyWithin(base + shift * F, prev, prev + kept);
    else out.copyWithin(base, prev + shift * F, prev + block);
    gatherTimesteps(series, start, stride, timesteps - shift, timesteps, timesteps, reverse, out, base);
  }
}

/** The shape of a batch of `n` samples: `[n, timesteps]` for a univariate array, else `[n, timesteps, features]`. */
export function samplesShape(series: Series, n: number, timesteps: number): number[] {
  return series.univariate ? [n, timesteps] : [n, timesteps, series.features];
}

/**
 * Hands out the Float32 arrays a batch is written to: fresh ones each time by default,
 * or, with `reuse`, the same ones for every batch of the same size (the previous batch is
 * overwritten, so a consumer must be done with it, or copy it, before asking for the next).
 */
export class BatchBuffers {
  private samples: Float32Array | null = null;
  private targets: Float32Array | null = null;

  constructor(private readonly reuse: boolean) {}

  get(samplesLength: number, targetsLength: number): [Float32Array, Float32Array] {
    // Every generator writes all of a batch's samples (one window per sample); targets may stay unwritten.
    if (!this.reuse) return [unfilledFloat32(samplesLength), new Float32Array(targetsLength)];
    if (this.samples?.length !== samplesLength) this.samples = new Float32Array(samplesLength);
    if (this.targets?.length !== targetsLength) this.targets = new Float32Array(targetsLength);
    return [this.samples, this.targets];
  }
}

const nodeBuffer = (globalThis as { Buffer?: { allocUnsafeSlow(size: number): Uint8Array } }).Buffer;

/**
 * A Float32Array of `length` that the caller overwrites in full. A batch is written whole, so
 * the zero fill `new Float32Array` does costs as much as writing the batch: under Node.js the
 * memory comes unfilled (Buffer.allocUnsafeSlow, a buffer of its own, never a pooled slice).
 */
function unfilledFloat32(length: number): Float32Array {
  if (nodeBuffer === undefined || length < 1024) return new Float32Array(length);
  const bytes = nodeBuffer.allocUnsafeSlow(length * 4);
  return new Float32Array(bytes.buffer, bytes.byteOffset, length);
}
