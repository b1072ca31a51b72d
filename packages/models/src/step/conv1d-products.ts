// A valid, stride-1 Conv1D as matrix products. With the kernel laid out as tfjs keeps it,
// `[taps, channels, filters]`, it is a `[taps * channels, filters]` matrix; and the `taps`
// input rows that output step t reads, x[t .. t + taps), are `taps * channels` consecutive
// floats. So the input is the left operand as it lies in memory, with rows that overlap
// (leading dimension `channels`): no im2col copy.
//
// Forward and for the kernel's gradient the whole batch is one product, seen as one long
// sequence: rows that would straddle two sequences (taps − 1 per sequence) are computed and
// dropped going forward, and given a zero gradient going back. One product splits over the
// two threads, where one per sequence would each be too small to. The input's gradient goes
// one sequence at a time, whose rows of taps·channels floats stay in cache until they are
// added back where they overlap.

import { gemmNN, gemmNT, gemmTN } from '@seqlearn/backend/ops';
import { InputShapeError } from '../errors.js';

export interface Conv1dShape {
  batch: number;
  steps: number;
  channels: number;
  taps: number;
  filters: number;
}

/** Output steps of a valid convolution; fails when the sequence is shorter than the kernel. */
export function outputSteps(s: Conv1dShape): number {
  if (s.steps < s.taps) throw new InputShapeError(`compiled train step: Conv1D takes at least ${s.taps} steps (its kernel's taps), got ${s.steps}`);
  return s.steps - s.taps + 1;
}

/** Rows of the batch-long product: every start position whose taps stay inside the batch. */
function productRows(s: Conv1dShape): number {
  return s.batch * s.steps - s.taps + 1;
}

/** out[b, t, :] += Σ_k x[b, t + k, :] · kernel[k]; out is `[batch, outputSteps, filters]`. */
export function convolve(s: Conv1dShape, x: Float32Array, kernel: Float32Array, out: Float32Array): void {
  const outSteps = outputSteps(s);
  const full = new Float32Array(productRows(s) * s.filters);
  gemmNN(productRows(s), s.filters, s.taps * s.channels, x, 0, s.channels, kernel, 0, s.filters, full, 0, s.filters);
  const block = outSteps * s.filters;
  for (let b = 0; b < s.batch; b++) {
    const from = b * s.steps * s.filters;
    const to = b * block;
    for (let i = 0; i < block; i++) out[to + i] += full[from + i];
  }
}

/** kernelGrad (`[taps, channels, filters]`) += Σ_b,t x[b, t .. t + taps)ᵀ · dOut[b, t]. */
export function convolveKernelGradient(s: Conv1dShape, x: Float32Array, dOut: Float32Array, kernelGrad: Float32Array): void {
  const outSteps = outputSteps(s);
  const spread = new Float32Array(productRows(s) * s.filters);
  for (let b = 0; b < s.batch; b++) spread.set(dOut.subarray(b * outSteps * s.filters, (b + 1) * outSteps * s.filters), b * s.steps * s.filters);
  gemmTN(s.taps * s.channels, s.filters, productRows(s), x, 0, s.channels, spread, 0, s.filters, kernelGrad, 0, s.filters);
}

/** The gradient with respect to x (`[batch, steps, channels]`): each output step's rows, added back where they overlap. */
export function convolveInputGradient(s: Conv1dShape, dOut: Float32Array, kernel: Float32Array): Float32Array {
  const outSteps = outputSteps(s);
  const width = s.taps * s.channels;
  const dx = new Float32Array(s.batch * s.steps * s.channels);
  const rows = new Float32Array(outSteps * width);
  for (let b = 0; b < s.batch; b++) {
    rows.fill(0);
    gemmNT(outSteps, width, s.filters, dOut, b * outSteps * s.filters, s.filters, kernel, 0, s.filters, rows, 0, width);
    const base = b * s.steps * s.channels;
    for (let t = 0; t < outSteps; t++) {
      const to = base + t * s.channels;
      const from = t * width;
      for (let i = 0; i < width; i++) dx[to + i] += rows[from + i];
    }
  }
  return dx;
}
