// A valid, stride-1 Conv1D as matrix products. With the kernel laid out as tfjs keeps it,
// `[taps, channels, filters]`, it is a `[taps * channels, filters]` matrix; and the `taps`
// input rows that output step t reads, x[t .. t + taps), are `taps * channels` consecutive
// floats. So the input is the left operand as it lies in memory, with rows that overlap
// (leading dimension `channels`): no im2col copy.
//
// The whole batch is one product, seen as one long sequence, so that it splits over the two
// threads (one product per sequence would each be too small to). Going forward, rows that
// would straddle two sequences (taps − 1 per sequence) are computed and dropped. Going back,
// the output's gradient is laid out the same way, each sequence's rows followed by taps − 1
// zero rows ("spread"): the kernel's gradient is the transposed product over it, and the
// input's gradient is a full convolution of it with the flipped kernel, again one product over
// overlapping windows, whose rows are exactly the input's steps, so nothing is added back.
import { flipTaps, gemmNN, gemmTN } from '@seqlearn/backend/ops';
import { InputShapeError } from '../errors.js';
import { reuse } from './stage.js';

export interface Conv1dShape {
  batch: number;
  steps: number;
  channels: number;
  taps: number;
  filters: number;
}

/**
 * Buffers a stage keeps for these products from step to step (megabytes each; allocating them
 * afresh every step costs collections). Each is read only until the next step.
 */
export interface Conv1dBuffers {
  full?: Float32Array;
  spread?: Float32Array;
  dx?: Float32Array;
}

/** Output steps of a valid convolution; fails when the sequence is shorter than the kernel. */
export function outputSteps(s: Conv1dShape): number {
  if (s.steps < s.taps)
    throw new InputShapeError(`compiled train step: Conv1D takes at least ${s.taps} steps (its kernel's taps), got ${s.steps}`);
  return s.steps - s.taps + 1;
}

/** Rows of the batch-long product: every start position whose taps stay inside the batch. */
function productRows(s: Conv1dShape): number {
  return s.batch * s.steps - s.taps + 1;
}

/** out[b, t, :] += Σ_k x[b, t + k, :] · kernel[k]; out is `[batch, outputSteps, filters]`. */
export function convolve(s: Conv1dShape, x: Float32Array, kernel: Float32Array, out: Float32Array, buffers: Conv1dBuffers = {}): void {
  const outSteps = outputSteps(s);
  const full = (buffers.full = reuse(buffers.full, productRows(s) * s.filters));
  gemmNN(productRows(s), s.filters, s.taps * s.channels, x, 0, s.channels, kernel, 0, s.filters, full, 0, s.filters);
  const block = outSteps * s.filters;
  for (let b = 0; b < s.batch; b++) {
    const from = b * s.steps * s.filters;
    const to = b * block;
    for (let i = 0; i < block; i++) out[to + i] += full[from + i];
  }
}

/**
 * The output's gradient `[batch, outputSteps, filters]` as one long sequence for the backward
 * products: taps − 1 zero rows, then each sequence's rows followed by taps − 1 zero rows
 * (`taps − 1 + batch · steps` rows). Rows [taps − 1, …) line up with the forward product's.
 */
export function spreadOutputGradient(s: Conv1dShape, dOut: Float32Array, buffers: Conv1dBuffers = {}): Float32Array {
  const outSteps = outputSteps(s);
  const lead = (s.taps - 1) * s.filters;
  const spread = (buffers.spread = reuse(buffers.spread, lead + s.batch * s.steps * s.filters));
  for (let b = 0; b < s.batch; b++)
    spread.set(dOut.subarray(b * outSteps * s.filters, (b + 1) * outSteps * s.filters), lead + b * s.steps * s.filters);
  return spread;
}

/** kernelGrad (`[taps, channels, filters]`) += Σ_b,t x[b, t .. t + taps)ᵀ · dOut[b, t]; `spread` from spreadOutputGradient. */
export function convolveKernelGradient(s: Conv1dShape, x: Float32Array, spread: Float32Array, kernelGrad: Float32Array): void {
  gemmTN(
    s.taps * s.channels,
    s.filters,
    productRows(s),
    x,
    0,
    s.channels,
    spread,
    (s.taps - 1) * s.filters,
    s.filters,
    kernelGrad,
    0,
    s.filters,
  );
}

/**
 * The gradient with respect to x (`[batch, steps, channels]`):
 *   dx[b, i] = Σ_k dOut[b, i − k] · kernel[k]ᵀ   (dOut zero outside [0, outputSteps)),
 * which over `spread` reads taps rows from row b·steps + i on: the window times the kernel
 * flipped along its taps, as `[taps · filters, channels]`.
 */
export function convolveInputGradient(
  s: Conv1dShape,
  spread: Float32Array,
  kernel: Float32Array,
  buffers: Conv1dBuffers = {},
): Float32Array {
  const { taps, channels, filters } = s;
  const flipped = flipTaps(kernel, taps, channels, filters);
  const dx = (buffers.dx = reuse(buffers.dx, s.batch * s.steps * channels));
  gemmNN(s.batch * s.steps, channels, taps * filters, spread, 0, filters, flipped, 0, channels, dx, 0, channels);
  return dx;
}
