import type { Series } from './series.js';

/**
 * Copies windows out of a series into one batch buffer: sample `j` is rows
 * `starts[j] + t * stride` for `t = 0 … timesteps-1` (reversed in time when `reverse`),
 * every feature, row-major `[n, timesteps, features]`. The one hot loop of the package:
 * it never allocates and, for contiguous windows, copies whole blocks at once.
 */
export function gatherWindows(
  series: Series,
  starts: Int32Array,
  n: number,
  timesteps: number,
  stride: number,
  reverse: boolean,
  out: Float32Array,
): void {
  const F = series.features;
  const block = timesteps * F;
  if (series.rowMajor) {
    const src = series.rowMajor;
    if (stride === 1 && !reverse && src instanceof Float32Array) {
      for (let j = 0; j < n; j++) {
        const from = starts[j] * F;
        out.set(src.subarray(from, from + block), j * block);
      }
      return;
    }
    for (let j = 0; j < n; j++) {
      let o = j * block;
      for (let t = 0; t < timesteps; t++) {
        const s = (starts[j] + (reverse ? timesteps - 1 - t : t) * stride) * F;
        for (let f = 0; f < F; f++) out[o++] = src[s + f];
      }
    }
    return;
  }
  const cols = series.columnArrays!;
  for (let f = 0; f < F; f++) {
    const col = cols[f];
    for (let j = 0; j < n; j++) {
      const base = j * block + f;
      const start = starts[j];
      if (reverse) {
        for (let t = 0; t < timesteps; t++) out[base + t * F] = col[start + (timesteps - 1 - t) * stride];
      } else {
        for (let t = 0; t < timesteps; t++) out[base + t * F] = col[start + t * stride];
      }
    }
  }
}

/** The shape of a batch of `n` samples: `[n, timesteps]` for a univariate array, else `[n, timesteps, features]`. */
export function samplesShape(series: Series, n: number, timesteps: number): number[] {
  return series.univariate ? [n, timesteps] : [n, timesteps, series.features];
}
