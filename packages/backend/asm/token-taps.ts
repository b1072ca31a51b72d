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

/**
 * out[b, t, :] = act(start + Σ_k table[slots[b, t + k], k·filters ..]) for the sequences b in
 * [from, to). `start` is out's own values when `init` is 0, else `bias` (a row of `filters`
 * floats) or zero when bias is 0; `relu` 1 applies Relu (as x · (x > 0), so −0 for a negative
 * sum and NaN kept, like the JavaScript loop). Each sequence's block is set, summed and
 * activated while it is in cache.
 */
export function tokenTapSum(
  steps: i32, taps: i32, filters: i32, slots: usize, table: usize, out: usize, from: i32, to: i32, init: i32, bias: usize, relu: i32,
): void {
  const outSteps = steps - taps + 1;
  const row: usize = (<usize>(taps * filters)) << 2;
  const block: usize = (<usize>filters) << 2;
  for (let b = from; b < to; b++) {
    const first: usize = out + <usize>(b * outSteps) * block;
    for (let t = 0; init != 0 && t < outSteps; t++) {
      const dst: usize = first + <usize>t * block;
      if (bias != 0) memory.copy(dst, bias, block);
      else memory.fill(dst, 0, block);
    }
    for (let i = 0; i < steps; i++) {
      const src: usize = table + <usize>load<i32>(slots + ((<usize>(b * steps + i)) << 2)) * row;
      const kFirst = i >= outSteps ? i - outSteps + 1 : 0;
      const kEnd = i < taps ? i + 1 : taps;
      for (let k = kFirst; k < kEnd; k++) {
        addInto(out + <usize>(b * outSteps + i - k) * block, src + <usize>k * block, filters);
      }
    }
    if (relu != 0) reluInPlace(first, first, outSteps * filters);
  }
}

/** x · (gate > 0) into dst, n floats: Relu (gate = x) or its gradient (gate = the activations). */
// @ts-ignore: decorator
@inline
function reluInPlace(dst: usize, gate: usize, n: i32): void {
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o: usize = (<usize>i) << 2;
    v128.store(dst + o, f32x4.mul(v128.load(dst + o), v128.and(f32x4.gt(v128.load(gate + o), zero), one)));
  }
  for (; i < n; i++) {
    const o: usize = (<usize>i) << 2;
    store<f32>(dst + o, load<f32>(dst + o) * (load<f32>(gate + o) > 0 ? <f32>1 : <f32>0));
  }
}

/**
 * The backward pass's first loop over dz (`[rows, cols]`): with `act` (the Relu outputs, or 0
 * for none) dz is zeroed where act ≤ 0, then sums[c] += Σ_r dz[r, c] (a bias's gradient, when
 * `sums` is not 0), row after row as the JavaScript loop adds them.
 */
export function reluGradColumnSums(act: usize, dz: usize, rows: i32, cols: i32, sums: usize): void {
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  const rowBytes: usize = (<usize>cols) << 2;
  for (let r = 0; r < rows; r++) {
    const d: usize = dz + <usize>r * rowBytes;
    const a: usize = act + <usize>r * rowBytes;
    let c = 0;
    for (; c + 4 <= cols; c += 4) {
      const o: usize = (<usize>c) << 2;
      let v = v128.load(d + o);
      if (act != 0) {
        v = f32x4.mul(v, v128.and(f32x4.gt(v128.load(a + o), zero), one));
        v128.store(d + o, v);
      }
      if (sums != 0) v128.store(sums + o, f32x4.add(v128.load(sums + o), v));
    }
    for (; c < cols; c++) {
      const o: usize = (<usize>c) << 2;
      let v = load<f32>(d + o);
      if (act != 0) {
        v = v * (load<f32>(a + o) > 0 ? <f32>1 : <f32>0);
        store<f32>(d + o, v);
      }
      if (sums != 0) store<f32>(sums + o, load<f32>(sums + o) + v);
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
