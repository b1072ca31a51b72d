export type MatrixValues = Int32Array | Float32Array | Float64Array;

/**
 * A row-major 2-D array over one typed array, the layout `tf.tensor2d(values, shape)`
 * and Arrow's FixedSizeList take without copying.
 */
export class DenseMatrix<T extends MatrixValues> {
  constructor(
    readonly values: T,
    readonly rows: number,
    readonly columns: number,
  ) {}

  get shape(): [number, number] {
    return [this.rows, this.columns];
  }

  /** Row `i` as a view (no copy). */
  row(i: number): T {
    return this.values.subarray(i * this.columns, (i + 1) * this.columns) as T;
  }

  /** Nested plain arrays, like numpy's `tolist()`. */
  toArray(): number[][] {
    const out = new Array<number[]>(this.rows);
    for (let i = 0; i < this.rows; i++) out[i] = Array.from(this.row(i));
    return out;
  }
}
