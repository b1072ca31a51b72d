import { describe, expect, it } from 'vitest';
import { scatterTokenTaps, sumTokenTaps, useWasmKernels, useWasmThreads, type TokenTapShape } from '../src/index.js';
import { randomInt, seededRandom } from './seeded-random.js';

// The reference walks output steps and taps in the obvious order; every output float gets its
// terms in the same order as the kernels add them, so results must match bit for bit.
function referenceSum(s: TokenTapShape, slots: Int32Array, table: Float32Array, out: Float32Array): Float32Array {
  const result = Float32Array.from(out);
  const outSteps = s.steps - s.taps + 1;
  for (let b = 0; b < s.batch; b++) {
    for (let t = 0; t < outSteps; t++) {
      for (let k = 0; k < s.taps; k++) {
        const row = slots[b * s.steps + t + k] * s.taps * s.filters + k * s.filters;
        for (let f = 0; f < s.filters; f++) result[(b * outSteps + t) * s.filters + f] += table[row + f];
      }
    }
  }
  return result;
}

function referenceScatter(s: TokenTapShape, slots: Int32Array, dz: Float32Array, table: Float32Array): Float32Array {
  const result = Float32Array.from(table);
  const outSteps = s.steps - s.taps + 1;
  for (let b = 0; b < s.batch; b++) {
    for (let i = 0; i < s.steps; i++) {
      for (let k = 0; k < s.taps; k++) {
        const t = i - k;
        if (t < 0 || t >= outSteps) continue;
        const row = slots[b * s.steps + i] * s.taps * s.filters + k * s.filters;
        for (let f = 0; f < s.filters; f++) result[row + f] += dz[(b * outSteps + t) * s.filters + f];
      }
    }
  }
  return result;
}

const MODES = [
  { name: 'WebAssembly, two threads', wasm: true, threads: true },
  { name: 'WebAssembly, one thread', wasm: true, threads: false },
  { name: 'JavaScript', wasm: false, threads: false },
];

describe('token-tap sums (the Embedding → Conv1D pair on distinct tokens)', () => {
  for (const mode of MODES) {
    it(`${mode.name}: random shapes match the reference bit for bit`, () => {
      useWasmKernels(mode.wasm);
      useWasmThreads(mode.threads);
      try {
        const rand = seededRandom(5);
        for (let trial = 0; trial < 40; trial++) {
          const taps = randomInt(rand, 1, 8);
          const s: TokenTapShape = {
            batch: randomInt(rand, 1, 13), steps: taps + randomInt(rand, 0, 21), taps,
            filters: [1, 3, 4, 5, 8, 32, 33][randomInt(rand, 0, 7)],
          };
          const tokens = randomInt(rand, 1, 51);
          const outSteps = s.steps - s.taps + 1;
          const slots = Int32Array.from({ length: s.batch * s.steps }, () => randomInt(rand, 0, tokens));
          const table = Float32Array.from({ length: tokens * taps * s.filters }, () => rand() * 2 - 1);
          const out = Float32Array.from({ length: s.batch * outSteps * s.filters }, () => rand() * 2 - 1);
          const dz = Float32Array.from({ length: out.length }, () => rand() * 2 - 1);
          const expectedOut = referenceSum(s, slots, table, out);
          const expectedTable = referenceScatter(s, slots, dz, table);
          sumTokenTaps(s, slots, table, out);
          scatterTokenTaps(s, slots, dz, table);
          expect(out, JSON.stringify(s)).toEqual(expectedOut);
          expect(table, JSON.stringify(s)).toEqual(expectedTable);
        }
      } finally {
        useWasmKernels(true);
        useWasmThreads(true);
      }
    });
  }
});
