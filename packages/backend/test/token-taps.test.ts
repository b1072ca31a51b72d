import { describe, expect, it } from 'vitest';
import { sumTokenTapProducts, tokenTapGradients, useWasmKernels, useWasmThreads, type TokenTapShape } from '../src/index.js';
import type { TableRows } from '../src/ops/index.js';
import { randomInt, seededRandom } from './seeded-random.js';

// References in float64, straight from the definitions: the product P = rows · wide, output step
// t of sequence b adding tap k's block of P's row for the token at t + k, and the transposes.
interface Case {
  s: TokenTapShape;
  slots: Int32Array;
  rows: Float32Array;
  wide: Float32Array;
  out: Float32Array;
  dz: Float32Array;
}

function product(c: Case): Float64Array {
  const { channels, taps, filters } = c.s;
  const width = taps * filters;
  const tokens = c.rows.length / channels;
  const p = new Float64Array(tokens * width);
  for (let u = 0; u < tokens; u++)
    for (let j = 0; j < width; j++) for (let d = 0; d < channels; d++) p[u * width + j] += c.rows[u * channels + d] * c.wide[d * width + j];
  return p;
}

function referenceOut(c: Case): Float64Array {
  const { batch, steps, taps, filters } = c.s;
  const p = product(c);
  const outSteps = steps - taps + 1;
  const out = Float64Array.from(c.out);
  for (let b = 0; b < batch; b++)
    for (let t = 0; t < outSteps; t++)
      for (let k = 0; k < taps; k++) {
        const row = c.slots[b * steps + t + k] * taps * filters + k * filters;
        for (let f = 0; f < filters; f++) out[(b * outSteps + t) * filters + f] += p[row + f];
      }
  return out;
}

function referenceGradients(c: Case): { wideGrad: Float64Array; rowsGrad: Float64Array } {
  const { batch, steps, taps, filters, channels } = c.s;
  const width = taps * filters;
  const tokens = c.rows.length / channels;
  const outSteps = steps - taps + 1;
  const h = new Float64Array(tokens * width);
  for (let b = 0; b < batch; b++)
    for (let t = 0; t < outSteps; t++)
      for (let k = 0; k < taps; k++) {
        const row = c.slots[b * steps + t + k] * width + k * filters;
        for (let f = 0; f < filters; f++) h[row + f] += c.dz[(b * outSteps + t) * filters + f];
      }
  const wideGrad = new Float64Array(channels * width);
  const rowsGrad = new Float64Array(tokens * channels);
  for (let u = 0; u < tokens; u++)
    for (let d = 0; d < channels; d++)
      for (let j = 0; j < width; j++) {
        wideGrad[d * width + j] += c.rows[u * channels + d] * h[u * width + j];
        rowsGrad[u * channels + d] += h[u * width + j] * c.wide[d * width + j];
      }
  return { wideGrad, rowsGrad };
}

function randomCase(rand: () => number, big: boolean): Case {
  const taps = randomInt(rand, 1, 8);
  const s: TokenTapShape = {
    batch: big ? 24 : randomInt(rand, 1, 13),
    steps: taps + (big ? 60 : randomInt(rand, 0, 21)),
    taps,
    filters: [1, 3, 4, 5, 8, 32, 33][randomInt(rand, 0, 7)],
    channels: big ? 64 : randomInt(rand, 1, 20),
  };
  const tokens = big ? 400 : randomInt(rand, 1, 51);
  const outSteps = s.steps - s.taps + 1;
  const floats = (n: number) => Float32Array.from({ length: n }, () => rand() * 2 - 1);
  return {
    s,
    slots: Int32Array.from({ length: s.batch * s.steps }, () => randomInt(rand, 0, tokens)),
    rows: floats(tokens * s.channels),
    wide: floats(s.channels * taps * s.filters),
    out: floats(s.batch * outSteps * s.filters),
    dz: floats(s.batch * outSteps * s.filters),
  };
}

/** The same rows as a larger table (shuffled, with rows no token uses) and the tokens that pick them. */
function asTableRows(rows: Float32Array, channels: number, rand: () => number): TableRows {
  const count = rows.length / channels;
  const vocabulary = count + 7;
  const tokens = Int32Array.from({ length: count }, (_, u) => u);
  for (let u = count - 1; u > 0; u--) {
    const v = randomInt(rand, 0, u + 1);
    [tokens[u], tokens[v]] = [tokens[v], tokens[u]];
  }
  for (let u = 0; u < count; u++) tokens[u] += tokens[u] >= 3 ? 7 : 0;
  const table = Float32Array.from({ length: vocabulary * channels }, () => rand() * 2 - 1);
  for (let u = 0; u < count; u++) table.set(rows.subarray(u * channels, (u + 1) * channels), tokens[u] * channels);
  return { table, tokens };
}

function expectNear(actual: Float32Array, expected: Float64Array, terms: number, what: string): void {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / (1 + Math.abs(expected[i])));
  expect(worst, what).toBeLessThan(2e-6 * Math.max(1, Math.sqrt(terms)));
}

/** Runs both passes on a copy of the case's outputs. */
function run(c: Case): { out: Float32Array; wideGrad: Float32Array; rowsGrad: Float32Array } {
  const out = Float32Array.from(c.out);
  const wideGrad = new Float32Array(c.wide.length).fill(0.5);
  const rowsGrad = new Float32Array(c.rows.length).fill(-0.25);
  sumTokenTapProducts(c.s, c.slots, c.rows, c.wide, out);
  tokenTapGradients(c.s, c.slots, c.dz, c.rows, c.wide, wideGrad, rowsGrad);
  return { out, wideGrad, rowsGrad };
}

const MODES = [
  { name: 'WebAssembly, two threads', wasm: true, threads: true },
  { name: 'WebAssembly, one thread', wasm: true, threads: false },
  { name: 'JavaScript', wasm: false, threads: false },
];

describe("token-tap products (an Embedding → Conv1D pair on a batch's distinct tokens)", () => {
  for (const mode of MODES) {
    it(`${mode.name}: random shapes match the float64 definition, gradients added to what was there`, () => {
      useWasmKernels(mode.wasm);
      useWasmThreads(mode.threads);
      try {
        const rand = seededRandom(5);
        for (let trial = 0; trial < 30; trial++) {
          const c = randomCase(rand, trial % 10 === 0);
          const got = run(c);
          const want = referenceGradients(c);
          const tag = JSON.stringify(c.s);
          expectNear(got.out, referenceOut(c), c.s.channels * c.s.taps, `out ${tag}`);
          expectNear(
            got.wideGrad,
            want.wideGrad.map((v) => v + 0.5),
            c.s.batch * c.s.steps,
            `wideGrad ${tag}`,
          );
          expectNear(
            got.rowsGrad,
            want.rowsGrad.map((v) => v - 0.25),
            c.s.batch * c.s.taps * c.s.filters,
            `rowsGrad ${tag}`,
          );
        }
      } finally {
        useWasmKernels(true);
        useWasmThreads(true);
      }
    });
  }

  it('two threads give the same floats as one', () => {
    const c = randomCase(seededRandom(9), true);
    useWasmThreads(false);
    const one = run(c);
    useWasmThreads(true);
    const two = run(c);
    expect(two).toEqual(one);
  });

  for (const mode of MODES) {
    it(`${mode.name}: bias and Relu in the forward sums, Relu's and the bias's gradients in the backward pass's first loop`, () => {
      useWasmKernels(mode.wasm);
      useWasmThreads(mode.threads);
      try {
        const rand = seededRandom(17);
        for (let trial = 0; trial < 12; trial++) {
          const c = randomCase(rand, trial % 6 === 0);
          const { filters } = c.s;
          const bias = trial % 4 === 3 ? null : Float32Array.from({ length: filters }, () => rand() - 0.5);
          // out's values are not read: NaN in, and none may come out.
          const out = new Float32Array(c.out.length).fill(NaN);
          // Odd trials give the rows as a table and the tokens that pick them, and keep the
          // forward pass's operands in the module for the backward pass.
          const kept = trial % 2 === 1;
          const rows = kept ? asTableRows(c.rows, c.s.channels, rand) : c.rows;
          const frame = sumTokenTapProducts(c.s, c.slots, rows, c.wide, out, { bias, relu: true }, kept);
          expect(frame !== null).toBe(kept && mode.wasm);
          const start = new Float32Array(c.out.length).map((_, i) => (bias === null ? 0 : bias[i % filters]));
          const wantOut = referenceOut({ ...c, out: start }).map((v) => Math.max(v, 0));
          const tag = JSON.stringify(c.s);
          expectNear(out, wantOut, c.s.channels * c.s.taps, `out ${tag}`);

          const dz = Float32Array.from(c.dz);
          const wideGrad = new Float32Array(c.wide.length);
          // Given as a table, the rows' gradients land on their tokens' rows of the table's gradient.
          const rowsGrad = rows instanceof Float32Array ? new Float32Array(c.rows.length) : new Float32Array(rows.table.length).fill(0.125);
          const biasGrad = new Float32Array(filters).fill(0.5);
          tokenTapGradients(c.s, c.slots, dz, rows, c.wide, wideGrad, rowsGrad, { activations: out, biasGrad }, frame);
          if (frame !== null) expect(frame.frame.live, 'the backward pass releases the frame').toBe(false);
          const masked = c.dz.map((v, i) => (out[i] > 0 ? v : 0));
          const want = referenceGradients({ ...c, dz: masked });
          const wantBias = new Float64Array(filters).fill(0.5);
          for (let i = 0; i < masked.length; i++) wantBias[i % filters] += masked[i];
          expectNear(biasGrad, wantBias, masked.length / filters, `biasGrad ${tag}`);
          expectNear(wideGrad, want.wideGrad, c.s.batch * c.s.steps, `wideGrad ${tag}`);
          let wantRows = want.rowsGrad;
          if (!(rows instanceof Float32Array)) {
            const ch = c.s.channels;
            wantRows = new Float64Array(rows.table.length).fill(0.125);
            rows.tokens.forEach((v, u) => {
              for (let d = 0; d < ch; d++) wantRows[v * ch + d] += want.rowsGrad[u * ch + d];
            });
          }
          expectNear(rowsGrad, wantRows, c.s.batch * c.s.taps * c.s.filters, `rowsGrad ${tag}`);
        }
      } finally {
        useWasmKernels(true);
        useWasmThreads(true);
      }
    });
  }
});
