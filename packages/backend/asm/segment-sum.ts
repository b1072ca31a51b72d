// The scatter-add behind UnsortedSegmentSum (the gradient of every Embedding lookup), for
// src/kernels/unsorted-segment-sum.ts. Sums go into float64, row by row in ascending order,
// as the stock kernel's do, so results round to the same float32s.

// @ts-nocheck: AssemblyScript types (i32, usize, v128, f64x2) are not TypeScript's.

/**
 * acc[s, :] (float64, zeroed by the caller) += x[r, :] for every row r whose id s is in
 * [from, to): two threads can take two ranges of segments, each reading every row.
 */
export function segmentSum(rows: i32, inner: i32, x: usize, ids: usize, from: i32, to: i32, acc: usize): void {
  const rowX: usize = (<usize>inner) << 2;
  const rowAcc: usize = (<usize>inner) << 3;
  for (let r = 0; r < rows; r++) {
    const s = load<i32>(ids + ((<usize>r) << 2));
    if (s < from || s >= to) continue;
    const src: usize = x + <usize>r * rowX;
    const dst: usize = acc + <usize>s * rowAcc;
    let j = 0;
    for (; j + 4 <= inner; j += 4) {
      const v = v128.load(src + ((<usize>j) << 2));
      const d: usize = dst + ((<usize>j) << 3);
      v128.store(d, f64x2.add(v128.load(d), f64x2.promote_low_f32x4(v)));
      v128.store(d, f64x2.add(v128.load(d, 16), f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1))), 16);
    }
    for (; j < inner; j++) {
      const d: usize = dst + ((<usize>j) << 3);
      store<f64>(d, load<f64>(d) + <f64>load<f32>(src + ((<usize>j) << 2)));
    }
  }
}
