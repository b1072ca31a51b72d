// A valid, stride-1 Conv1D as matrix products, one sequence at a time. With the kernel laid
// out as tfjs keeps it, `[taps, channels, filters]`, it is a `[taps * channels, filters]`
// matrix; and the `taps` input rows that output step t reads, x[t .. t + taps), are
// `taps * channels` consecutive floats. So the sequence is the left operand as it lies in
// memory, with rows that overlap (leading dimension `channels`): no im2col copy.

import { gemmNN, gemmNT, gemmTN } from '@seqlearn/backend';

export interface Conv1dShape {
  batch: number;
  steps: number;
  channels: number;
  taps: number;
  filters: number;
}

export function outputSteps(s: Conv1dShape): number {
  return s.steps - s.taps + 1;
}

/** out[b, t, :] += Σ_k x[b, t + k, :] · kernel[k]; out is `[batch, outputSteps, filters]`. */
export function convolve(s: Conv1dShape, x: Float32Array, kernel: Float32Array, out: Float32Array): void {
  const outSteps = outputSteps(s);
  const width = s.taps * s.channels;
  for (let b = 0; b < s.batch; b++) {
    gemmNN(outSteps, s.filters, width, x, b * s.steps * s.channels, s.channels, kernel, 0, s.filters, out, b * outSteps * s.filters, s.filters);
  }
}

/** kernelGrad (`[taps, channels, filters]`) += Σ_b,t x[b, t .. t + taps)ᵀ · dOut[b, t]. */
export function convolveKernelGradient(s: Conv1dShape, x: Float32Array, dOut: Float32Array, kernelGrad: Float32Array): void {
  const outSteps = outputSteps(s);
  const width = s.taps * s.channels;
  for (let b = 0; b < s.batch; b++) {
    gemmTN(width, s.filters, outSteps, x, b * s.steps * s.channels, s.channels, dOut, b * outSteps * s.filters, s.filters, kernelGrad, 0, s.filters);
  }
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

/** out[b, t, :] = bias for every output step (the products then add onto it). */
export function fillRows(out: Float32Array, bias: Float32Array | null): void {
  if (bias === null) return;
  for (let at = 0; at < out.length; at += bias.length) out.set(bias, at);
}
