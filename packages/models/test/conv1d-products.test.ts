import { createRng } from '@seqlearn/dataset';
import { useWasmKernels, useWasmThreads } from '@seqlearn/backend/ops';
import { afterAll, describe, expect, it } from 'vitest';
import {
  convolve,
  convolveInputGradient,
  convolveKernelGradient,
  outputSteps,
  spreadOutputGradient,
  type Conv1dShape,
} from '../src/step/conv1d-products.js';

// The compiled step's Conv1D products against float64 loops written from the definition
//   out[b, t, f] = Σ_k Σ_c x[b, t + k, c] · W[k, c, f],
// and its two gradients, at sizes whose products run in WebAssembly over two threads, and in
// JavaScript.
const s: Conv1dShape = { batch: 24, steps: 100, channels: 32, taps: 7, filters: 32 };
const T = outputSteps(s);
const rng = createRng(5);
const x = new Float32Array(s.batch * s.steps * s.channels).map(() => rng.next() - 0.5);
const w = new Float32Array(s.taps * s.channels * s.filters).map(() => rng.next() - 0.5);
const dOut = new Float32Array(s.batch * T * s.filters).map(() => rng.next() - 0.5);

const at = (b: number, t: number, c: number) => (b * s.steps + t) * s.channels + c;
const wAt = (k: number, c: number, f: number) => (k * s.channels + c) * s.filters + f;

const expected = { out: new Float64Array(dOut.length), dW: new Float64Array(w.length), dx: new Float64Array(x.length) };
for (let b = 0; b < s.batch; b++) {
  for (let t = 0; t < T; t++) {
    for (let k = 0; k < s.taps; k++) {
      for (let c = 0; c < s.channels; c++) {
        const xv = x[at(b, t + k, c)];
        for (let f = 0; f < s.filters; f++) {
          const o = (b * T + t) * s.filters + f;
          expected.out[o] += xv * w[wAt(k, c, f)];
          expected.dW[wAt(k, c, f)] += xv * dOut[o];
          expected.dx[at(b, t + k, c)] += dOut[o] * w[wAt(k, c, f)];
        }
      }
    }
  }
}

function worst(got: Float32Array, want: Float64Array): number {
  expect(got.length).toBe(want.length);
  let m = 0;
  for (let i = 0; i < got.length; i++) m = Math.max(m, Math.abs(got[i] - want[i]));
  return m;
}

afterAll(() => {
  useWasmKernels(true);
  useWasmThreads(true);
});

describe('Conv1D products of the compiled step', () => {
  for (const [label, wasm, threads] of [
    ['WebAssembly, two threads', true, true],
    ['WebAssembly, one thread', true, false],
    ['JavaScript', false, false],
  ] as const) {
    it(`forward, kernel and input gradients match float64 loops (${label})`, () => {
      useWasmKernels(wasm);
      useWasmThreads(threads);
      const out = new Float32Array(dOut.length);
      convolve(s, x, w, out);
      const spread = spreadOutputGradient(s, dOut);
      const dW = new Float32Array(w.length);
      convolveKernelGradient(s, x, spread, dW);
      const dx = convolveInputGradient(s, spread, w);
      // Sums of up to 224 (out, dx) and 2,256 (dW) products of values in [-0.5, 0.5).
      expect(worst(out, expected.out)).toBeLessThan(1e-5);
      expect(worst(dx, expected.dx)).toBeLessThan(1e-5);
      expect(worst(dW, expected.dW)).toBeLessThan(1e-4);
    });
  }
});
