// The two loops of an Embedding → Conv1D pair run on a batch's distinct tokens (see
// @seqlearn/models' embedding-conv1d-stage.ts), for src/kernels/token-taps.ts. A table row
// holds one token's product with every tap, `taps` blocks of `filters` floats; output step t
// of a sequence adds block k of the token at step t + k. Both loops walk the input steps in
// order, so each reads or writes one whole table row at a time, four floats per vector.

// @ts-nocheck: AssemblyScript types (i32, usize, v128) are not TypeScript's.

/** dst[0 .. n) += src[0 .. n), four floats at a time. */
// @ts-ignore: decorator
@inline
function addInto(dst: usize, src: usize, n: i32): void {
  let f = 0;
  for (; f + 4 <= n; f += 4) {
    const o: usize = (<usize>f) << 2;
    v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
  }
  for (; f < n; f++) {
    const o: usize = (<usize>f) << 2;
    store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
  }
}

/** out[b, t, :] += Σ_k table[slots[b, t + k], k·filters ..] for the sequences b in [from, to). */
export function tokenTapSum(steps: i32, taps: i32, filters: i32, slots: usize, table: usize, out: usize, from: i32, to: i32): void {
  const outSteps = steps - taps + 1;
  const row: usize = (<usize>(taps * filters)) << 2;
  const block: usize = (<usize>filters) << 2;
  for (let b = from; b < to; b++) {
    for (let i = 0; i < steps; i++) {
      const src: usize = table + <usize>load<i32>(slots + ((<usize>(b * steps + i)) << 2)) * row;
      const kFirst = i >= outSteps ? i - outSteps + 1 : 0;
      const kEnd = i < taps ? i + 1 : taps;
      for (let k = kFirst; k < kEnd; k++) {
        addInto(out + <usize>(b * outSteps + i - k) * block, src + <usize>k * block, filters);
      }
    }
  }
}

/**
 * table[slots[b, t + k], k·filters ..] += dz[b, t, :], the transpose of tokenTapSum, for the
 * table rows in [from, to): two threads take two ranges of rows, each reading every step.
 */
export function tokenTapScatter(batch: i32, steps: i32, taps: i32, filters: i32, slots: usize, dz: usize, table: usize, from: i32, to: i32): void {
  const outSteps = steps - taps + 1;
  const row: usize = (<usize>(taps * filters)) << 2;
  const block: usize = (<usize>filters) << 2;
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < steps; i++) {
      const slot = load<i32>(slots + ((<usize>(b * steps + i)) << 2));
      if (slot < from || slot >= to) continue;
      const dst: usize = table + <usize>slot * row;
      const kFirst = i >= outSteps ? i - outSteps + 1 : 0;
      const kEnd = i < taps ? i + 1 : taps;
      for (let k = kFirst; k < kEnd; k++) {
        addInto(dst + <usize>k * block, dz + <usize>(b * outSteps + i - k) * block, filters);
      }
    }
  }
}
