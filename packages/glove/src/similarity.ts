/** One result of a similarity search. */
export interface Neighbor {
  word: string;
  /** Cosine similarity to the query, in [-1, 1]. */
  similarity: number;
  /** The word's row in the vectors. */
  row: number;
}

/** 1 / ‖row‖ for every row (0 for an all-zero row, so it never ranks). */
export function inverseNorms(data: Float32Array, dim: number): Float32Array {
  const rows = dim === 0 ? 0 : data.length / dim;
  const out = new Float32Array(rows);
  for (let r = 0, base = 0; r < rows; r++, base += dim) {
    let sum = 0;
    for (let j = 0; j < dim; j++) {
      const v = data[base + j];
      sum += v * v;
    }
    out[r] = sum > 0 ? 1 / Math.sqrt(sum) : 0;
  }
  return out;
}

/** The query scaled to unit length, as float64 so the dot products accumulate exactly enough. */
export function unitQuery(query: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(query);
  let sum = 0;
  for (let j = 0; j < out.length; j++) sum += out[j] * out[j];
  const scale = sum > 0 ? 1 / Math.sqrt(sum) : 0;
  for (let j = 0; j < out.length; j++) out[j] *= scale;
  return out;
}

/**
 * The `k` rows most cosine-similar to a unit `query`: one pass over the whole
 * row-major array (a dot product a row, scaled by the precomputed inverse norm),
 * keeping a sorted top-k list. Rows in `exclude` are skipped.
 */
export function topKCosine(
  data: Float32Array,
  dim: number,
  norms: Float32Array,
  query: Float64Array,
  k: number,
  exclude: ReadonlySet<number>,
): { rows: Int32Array; similarities: Float64Array } {
  const rows = norms.length;
  const topRows = new Int32Array(k).fill(-1);
  const topSims = new Float64Array(k).fill(-Infinity);
  let filled = 0;
  for (let r = 0, base = 0; r < rows; r++, base += dim) {
    const inverse = norms[r];
    if (inverse === 0) continue;
    let dot = 0;
    for (let j = 0; j < dim; j++) dot += data[base + j] * query[j];
    const similarity = dot * inverse;
    if (filled === k && similarity <= topSims[k - 1]) continue;
    if (exclude.has(r)) continue;
    // Insertion into the sorted list: k is small, and few rows get this far.
    let i = filled < k ? filled++ : k - 1;
    while (i > 0 && topSims[i - 1] < similarity) {
      topSims[i] = topSims[i - 1];
      topRows[i] = topRows[i - 1];
      i--;
    }
    topSims[i] = similarity;
    topRows[i] = r;
  }
  return { rows: topRows.subarray(0, filled), similarities: topSims.subarray(0, filled) };
}
