// The gradient of an Embedding lookup: each looked-up row's gradient added back into the row
// of the table it came from. Dense over the whole table, as tfjs's (UnsortedSegmentSum), so
// the optimizer sees the same update.

/** grad[ids[i], :] += rows[i, :] for rows of `width` floats. */
export function addRowsInto(grad: Float32Array, ids: Int32Array, rows: Float32Array, width: number): void {
  for (let i = 0; i < ids.length; i++) {
    const to = ids[i] * width;
    const from = i * width;
    for (let j = 0; j < width; j++) grad[to + j] += rows[from + j];
  }
}
