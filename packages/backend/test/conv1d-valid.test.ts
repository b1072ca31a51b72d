import { afterAll, describe, expect, it } from 'vitest';
import { conv1dBackwardInModule, conv1dForwardInModule, useWasmKernels, useWasmThreads, type Conv1dValidShape } from '../src/ops/index.js';
import { seededRandom } from './seeded-random.js';

// The Conv1D passes that run in the module against float64 loops from the definition:
//   z[b, t, f] = bias[f] + Σ_k Σ_c x[b, t + k, c] · W[k, c, f],  out = relu(z),
// and, with g = dOut · (out > 0): dW = Σ x ⊗ g, dBias = Σ g, dx[b, t + k, c] = Σ_f g · W[k, c, f].
function check(s: Conv1dValidShape, seed: number, relu: boolean, withBias: boolean): void {
  const rand = seededRandom(seed);
  const T = s.steps - s.taps + 1;
  const floats = (n: number) => Float32Array.from({ length: n }, () => rand() - 0.5);
  const x = floats(s.batch * s.steps * s.channels);
  const w = floats(s.taps * s.channels * s.filters);
  const bias = withBias ? floats(s.filters) : null;
  const dOut = floats(s.batch * T * s.filters);
  const at = (b: number, t: number, c: number) => (b * s.steps + t) * s.channels + c;
  const wAt = (k: number, c: number, f: number) => (k * s.channels + c) * s.filters + f;

  const out = new Float32Array(dOut.length).fill(NaN);
  expect(conv1dForwardInModule(s, x, w, bias, relu, out)).toBe(true);
  const z = new Float64Array(dOut.length);
  for (let b = 0; b < s.batch; b++)
    for (let t = 0; t < T; t++)
      for (let f = 0; f < s.filters; f++) {
        let v = bias === null ? 0 : bias[f];
        for (let k = 0; k < s.taps; k++) for (let c = 0; c < s.channels; c++) v += x[at(b, t + k, c)] * w[wAt(k, c, f)];
        z[(b * T + t) * s.filters + f] = v;
      }
  let worst = 0;
  for (let i = 0; i < z.length; i++) worst = Math.max(worst, Math.abs(out[i] - (relu ? Math.max(z[i], 0) : z[i])));
  expect(worst, `out ${JSON.stringify(s)}`).toBeLessThan(1e-5);

  // The mask comes from the outputs as computed (float32), as in the stage.
  const g = dOut.map((v, i) => (!relu || out[i] > 0 ? v : 0));
  const dW = new Float32Array(w.length).fill(0.25);
  const dBias = new Float32Array(s.filters).fill(-0.5);
  const dx = new Float32Array(x.length).fill(NaN);
  const dOutCopy = Float32Array.from(dOut);
  expect(conv1dBackwardInModule(s, x, w, relu ? out : null, dOut, dW, dBias, dx)).toBe(true);
  expect(dOut, 'dOut is not changed').toEqual(dOutCopy);
  const wantW = new Float64Array(w.length).fill(0.25);
  const wantBias = new Float64Array(s.filters).fill(-0.5);
  const wantX = new Float64Array(x.length);
  for (let b = 0; b < s.batch; b++)
    for (let t = 0; t < T; t++)
      for (let f = 0; f < s.filters; f++) {
        const gv = g[(b * T + t) * s.filters + f];
        wantBias[f] += gv;
        for (let k = 0; k < s.taps; k++)
          for (let c = 0; c < s.channels; c++) {
            wantW[wAt(k, c, f)] += x[at(b, t + k, c)] * gv;
            wantX[at(b, t + k, c)] += gv * w[wAt(k, c, f)];
          }
      }
  const far = (a: Float32Array, e: Float64Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - e[i])), 0);
  expect(far(dBias, wantBias), 'bias gradient').toBeLessThan(1e-4);
  expect(far(dW, wantW), 'kernel gradient').toBeLessThan(1e-4);
  expect(far(dx, wantX), 'input gradient').toBeLessThan(1e-5);
}

afterAll(() => {
  useWasmKernels(true);
  useWasmThreads(true);
});

describe('Conv1D passes in the WebAssembly module', () => {
  for (const threads of [true, false]) {
    it(`match float64 loops, with and without bias and Relu (${threads ? 'two threads' : 'one thread'})`, () => {
      useWasmThreads(threads);
      // Large enough for the products and the output pass to split over two threads; then odd sizes.
      check({ batch: 24, steps: 100, channels: 32, taps: 7, filters: 32 }, 1, true, true);
      check({ batch: 5, steps: 13, channels: 3, taps: 4, filters: 6 }, 2, true, false);
      check({ batch: 3, steps: 9, channels: 5, taps: 1, filters: 7 }, 3, false, true);
      check({ batch: 2, steps: 5, channels: 2, taps: 5, filters: 1 }, 4, false, false);
    });
  }

  it('report false and leave their outputs alone when the WebAssembly kernels are off', () => {
    useWasmKernels(false);
    const s = { batch: 1, steps: 4, channels: 1, taps: 2, filters: 1 };
    const out = new Float32Array(3).fill(7);
    expect(conv1dForwardInModule(s, new Float32Array(4), new Float32Array(2), null, true, out)).toBe(false);
    expect(conv1dBackwardInModule(s, new Float32Array(4), new Float32Array(2), null, new Float32Array(3), null, null, out)).toBe(false);
    expect([...out]).toEqual([7, 7, 7]);
    useWasmKernels(true);
  });
});
