import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gemmNN, gemmNT, gemmTN } from '../src/index.js';
import { gemmUsesWasm } from '../src/kernels/matmul-gemm.js';
import { randomInt, seededRandom } from './seeded-random.js';

type Gemm = typeof gemmNN;

/** A[M,K] (or its transpose stored [K,M]) inside a larger buffer, at an offset, rows lda apart. */
function strided(rand: () => number, rows: number, cols: number, off: number, ld: number): Float32Array {
  const a = new Float32Array(off + rows * ld + 3);
  for (let i = 0; i < a.length; i++) a[i] = rand() * 2 - 1;
  return a;
}

function check(gemm: Gemm, transA: boolean, transB: boolean, M: number, N: number, K: number, seed: number): void {
  const rand = seededRandom(seed);
  const aRows = transA ? K : M, aCols = transA ? M : K;
  const bRows = transB ? N : K, bCols = transB ? K : N;
  const aOff = randomInt(rand, 0, 5), bOff = randomInt(rand, 0, 5), cOff = randomInt(rand, 0, 5);
  const lda = aCols + randomInt(rand, 0, 3), ldb = bCols + randomInt(rand, 0, 3), ldc = N + randomInt(rand, 0, 3);
  const A = strided(rand, aRows, aCols, aOff, lda);
  const B = strided(rand, bRows, bCols, bOff, ldb);
  const C = strided(rand, M, N, cOff, ldc);
  const expected = Float64Array.from(C);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) {
        const a = transA ? A[aOff + k * lda + i] : A[aOff + i * lda + k];
        const b = transB ? B[bOff + j * ldb + k] : B[bOff + k * ldb + j];
        s += a * b;
      }
      expected[cOff + i * ldc + j] += s;
    }
  }
  gemm(M, N, K, A, aOff, lda, B, bOff, ldb, C, cOff, ldc);
  let worst = 0;
  for (let i = 0; i < C.length; i++) worst = Math.max(worst, Math.abs(C[i] - expected[i]));
  // Everything outside the M x N window of C must be untouched, which the loop above checks too.
  expect(worst, JSON.stringify({ transA, transB, M, N, K })).toBeLessThan(1e-4 * Math.max(1, K / 8));
}

describe('matrix products (JavaScript for small, WebAssembly SIMD for large when built)', () => {
  it('the SIMD kernel is built and loaded', () => {
    // `pnpm test` builds wasm/kernels.wasm first; without it everything runs in JavaScript.
    expect(existsSync(new URL('../wasm/kernels.wasm', import.meta.url))).toBe(gemmUsesWasm());
    if (process.env['SEQLEARN_WASM'] !== '0') expect(gemmUsesWasm()).toBe(true);
  });

  const forms: Array<[string, Gemm, boolean, boolean]> = [
    ['A·B', gemmNN, false, false], ['A·Bᵀ', gemmNT, false, true], ['Aᵀ·B', gemmTN, true, false],
  ];
  for (const [name, gemm, ta, tb] of forms) {
    it(`${name}: random sizes, offsets and strides match a float64 reference`, () => {
      const rand = seededRandom(name.length);
      for (let trial = 0; trial < 30; trial++) {
        const big = trial % 2 === 0; // large enough for the SIMD path
        const M = big ? randomInt(rand, 20, 70) : randomInt(rand, 1, 9);
        const N = big ? randomInt(rand, 17, 70) : randomInt(rand, 1, 9);
        const K = big ? randomInt(rand, 9, 40) : randomInt(rand, 1, 9);
        check(gemm, ta, tb, M, N, K, trial + 100);
      }
    });
  }
});
