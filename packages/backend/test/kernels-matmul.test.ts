import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { gemmNN, gemmNT, gemmTN, initBackend, useWasmKernels, useWasmThreads, wasmThreads } from '../src/index.js';
import { expectClose, randomTensor, stockAndOurs } from './kernels-compare.js';
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
  const aRows = transA ? K : M,
    aCols = transA ? M : K;
  const bRows = transB ? N : K,
    bCols = transB ? K : N;
  const aOff = randomInt(rand, 0, 5),
    bOff = randomInt(rand, 0, 5),
    cOff = randomInt(rand, 0, 5);
  const lda = aCols + randomInt(rand, 0, 3),
    ldb = bCols + randomInt(rand, 0, 3),
    ldc = N + randomInt(rand, 0, 3);
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
    const disabled = process.env['SEQLEARN_WASM'] === '0';
    expect(gemmUsesWasm()).toBe(!disabled && existsSync(new URL('../wasm/kernels.wasm', import.meta.url)));
    if (!disabled) expect(gemmUsesWasm()).toBe(true);
  });

  const forms: Array<[string, Gemm, boolean, boolean]> = [
    ['A·B', gemmNN, false, false],
    ['A·Bᵀ', gemmNT, false, true],
    ['Aᵀ·B', gemmTN, true, false],
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

    it(`${name}: A's rows overlapping (lda below the row length, as a convolution's windows) match the reference`, () => {
      const rand = seededRandom(name.length + 50);
      for (let trial = 0; trial < 6; trial++) {
        const M = randomInt(rand, 20, 70),
          N = randomInt(rand, 17, 40),
          K = randomInt(rand, 12, 40);
        const aRows = ta ? K : M,
          aCols = ta ? M : K;
        const lda = randomInt(rand, 1, aCols);
        const A = Float32Array.from({ length: (aRows - 1) * lda + aCols }, () => rand() * 2 - 1);
        const B = Float32Array.from({ length: K * N }, () => rand() * 2 - 1);
        const C = new Float32Array(M * N);
        let worst = 0;
        gemm(M, N, K, A, 0, lda, B, 0, tb ? K : N, C, 0, N);
        for (let i = 0; i < M; i++) {
          for (let j = 0; j < N; j++) {
            let sum = 0;
            for (let k = 0; k < K; k++) sum += (ta ? A[k * lda + i] : A[i * lda + k]) * (tb ? B[j * K + k] : B[k * N + j]);
            worst = Math.max(worst, Math.abs(C[i * N + j] - sum));
          }
        }
        expect(worst, JSON.stringify({ M, N, K, lda })).toBeLessThan(1e-4 * Math.max(1, K / 8));
      }
    });

    it(`${name}: a product large enough to split its rows over two threads matches the reference and one thread, bit for bit`, () => {
      // 301 x 70 x 300 is over the threaded threshold (4M multiply-adds), with an odd M and K
      // past one K chunk (256).
      check(gemm, ta, tb, 301, 70, 300, 7);
      const rand = seededRandom(11);
      const A = Float32Array.from({ length: 301 * 300 }, () => rand() * 2 - 1);
      const B = Float32Array.from({ length: 300 * 70 }, () => rand() * 2 - 1);
      const run = (threads: boolean): Float32Array => {
        useWasmThreads(threads);
        const C = new Float32Array(301 * 70);
        gemm(301, 70, 300, A, 0, ta ? 301 : 300, B, 0, tb ? 300 : 70, C, 0, 70);
        return C;
      };
      const one = run(false);
      const two = run(true);
      expect(wasmThreads()).toBe(2);
      expect(two).toEqual(one);
    });
  }
});

describe.each([true, false])('BatchMatMul kernel (WebAssembly %s)', (wasm) => {
  it('matches the stock kernel to float32 rounding: transposes, batches, broadcast batch, both paths', async () => {
    await initBackend({ backend: 'cpu' });
    expect(useWasmKernels(wasm)).toBe(wasm);
    const rand = seededRandom(77);
    const cases: Array<[number[], number[], boolean, boolean]> = [
      [[3, 4], [4, 5], false, false],
      [[40, 33], [33, 50], false, false], // the SIMD path
      [[2, 6, 3], [2, 6, 4], true, false],
      [[2, 6, 3], [2, 5, 3], false, true],
      [[1, 7, 8], [3, 8, 2], false, false], // broadcast batch
      [[2, 3, 7, 8], [2, 3, 8, 2], false, false],
      [[4, 3], [5, 4], true, true], // both transposed: the stock kernel
      [[2, 1, 3, 4], [5, 4, 2], false, false], // general batch broadcasting: the stock kernel
    ];
    for (const [sa, sb, ta, tb] of cases) {
      const a = randomTensor(rand, sa);
      const b = randomTensor(rand, sb);
      const { stock, ours } = stockAndOurs(() => tf.matMul(a, b, ta, tb));
      expectClose(ours, stock, 1e-5, JSON.stringify({ sa, sb, ta, tb }));
    }
    // And through a Dense layer's gradient.
    const x = randomTensor(rand, [16, 40]);
    const w = randomTensor(rand, [40, 24]);
    const { stock, ours } = stockAndOurs(() => tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.matMul(p, q)))([x, w]));
    stock.forEach((g, i) => expectClose(ours[i], g, 1e-5, `gradient ${i}`));
    useWasmKernels(true);
  });
});
