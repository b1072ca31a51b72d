// The two loops of an Embedding → Conv1D pair run on a batch's distinct tokens, for
// @seqlearn/models' compiled training step. `table` is `[tokens, taps·filters]`: row s holds
// token s's product with each tap of the kernel, tap k's block at k·filters. `slots[b, i]`
// is the row of the token at step i of sequence b. In WebAssembly when the module is built,
// split over the two threads; the JavaScript loops add in the same order, so both give the
// same floats.

import { wasmArena, wasmKernels } from './wasm-kernels.js';
import { inParallel, wasmThreads } from './wasm-threads.js';

export interface TokenTapShape {
  batch: number;
  steps: number;
  taps: number;
  filters: number;
}

/** out (`[batch, steps − taps + 1, filters]`) += Σ_k table[slots[b, t + k], block k]. */
export function sumTokenTaps(shape: TokenTapShape, slots: Int32Array, table: Float32Array, out: Float32Array): void {
  const { batch, steps, taps, filters } = shape;
  const kernels = wasmKernels();
  if (kernels !== null && wasmArena !== null) {
    const arena = wasmArena.start();
    const slotsAt = arena.putInt32(slots), tableAt = arena.put(table), outAt = arena.put(out);
    const half = wasmThreads() > 1 ? batch >> 1 : 0;
    const call = (from: number, to: number) => ({ name: 'tokenTapSum' as const, args: [steps, taps, filters, slotsAt, tableAt, outAt, from, to] });
    inParallel(kernels, half > 0 ? [call(0, half)] : [], [call(half, batch)]);
    out.set(arena.floats().subarray(outAt / 4, outAt / 4 + out.length));
    return;
  }
  const outSteps = steps - taps + 1;
  const width = taps * filters;
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < steps; i++) {
      const row = slots[b * steps + i] * width;
      const kEnd = i < taps ? i + 1 : taps;
      for (let k = i >= outSteps ? i - outSteps + 1 : 0; k < kEnd; k++) {
        const o = (b * outSteps + i - k) * filters;
        const from = row + k * filters;
        for (let f = 0; f < filters; f++) out[o + f] += table[from + f];
      }
    }
  }
}

/** table[slots[b, t + k], block k] += dz[b, t, :]: the transpose of sumTokenTaps. */
export function scatterTokenTaps(shape: TokenTapShape, slots: Int32Array, dz: Float32Array, table: Float32Array): void {
  const { batch, steps, taps, filters } = shape;
  const width = taps * filters;
  const kernels = wasmKernels();
  if (kernels !== null && wasmArena !== null) {
    const arena = wasmArena.start();
    const slotsAt = arena.putInt32(slots), dzAt = arena.put(dz), tableAt = arena.put(table);
    const rows = table.length / width;
    const half = wasmThreads() > 1 ? rows >> 1 : 0;
    const call = (from: number, to: number) => ({ name: 'tokenTapScatter' as const, args: [batch, steps, taps, filters, slotsAt, dzAt, tableAt, from, to] });
    inParallel(kernels, half > 0 ? [call(0, half)] : [], [call(half, rows)]);
    table.set(arena.floats().subarray(tableAt / 4, tableAt / 4 + table.length));
    return;
  }
  const outSteps = steps - taps + 1;
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < steps; i++) {
      const row = slots[b * steps + i] * width;
      const kEnd = i < taps ? i + 1 : taps;
      for (let k = i >= outSteps ? i - outSteps + 1 : 0; k < kEnd; k++) {
        const o = (b * outSteps + i - k) * filters;
        const to = row + k * filters;
        for (let f = 0; f < filters; f++) table[to + f] += dz[o + f];
      }
    }
  }
}
