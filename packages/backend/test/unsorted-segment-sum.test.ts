import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  initBackend,
  stockKernel,
  unsortedSegmentSumCpu,
  useProjectKernels,
  useStockKernels,
  useWasmKernels,
  useWasmThreads,
} from '../src/index.js';
import { randomInt, seededRandom } from './seeded-random.js';

let stock: tf.KernelFunc;

beforeAll(async () => {
  await tf.setBackend('cpu');
  // Captured before initBackend replaces it: this is tfjs's own kernel.
  stock = tf.getKernel(tf.UnsortedSegmentSum, 'cpu').kernelFunc;
  expect(stock).not.toBe(unsortedSegmentSumCpu);
  await initBackend({ backend: 'cpu' });
});

function runStock(x: tf.Tensor, ids: tf.Tensor, numSegments: number): tf.Tensor {
  const info = stock({ inputs: { x, segmentIds: ids }, backend: tf.backend(), attrs: { numSegments } }) as tf.TensorInfo;
  return tf.engine().makeTensorFromTensorInfo(info);
}

function expectSameAsStock(x: tf.Tensor, ids: tf.Tensor, numSegments: number): void {
  const ours = tf.unsortedSegmentSum(x, ids as tf.Tensor1D, numSegments);
  const theirs = runStock(x, ids, numSegments);
  expect(ours.shape).toEqual(theirs.shape);
  expect(ours.dtype).toBe(theirs.dtype);
  // Bit-identical, not merely close: same summation order and rounding as the stock kernel.
  expect(Array.from(ours.dataSync())).toEqual(Array.from(theirs.dataSync()));
  tf.dispose([ours, theirs]);
}

// Every case runs three times: the float32 scatter-add in WebAssembly with its segments split
// over two threads, in WebAssembly on one thread, then in JavaScript.
describe.each([
  { wasm: true, threads: true },
  { wasm: true, threads: false },
  { wasm: false, threads: false },
])('UnsortedSegmentSum cpu kernel (%o)', ({ wasm, threads }) => {
  beforeAll(() => {
    expect(useWasmKernels(wasm)).toBe(wasm);
    expect(useWasmThreads(threads)).toBe(threads);
    return () => {
      useWasmKernels(true);
      useWasmThreads(true);
    };
  });

  it('is the registered cpu kernel after initBackend, and the stock one is kept', () => {
    expect(tf.getKernel(tf.UnsortedSegmentSum, 'cpu').kernelFunc).toBe(unsortedSegmentSumCpu);
    expect(stockKernel(tf.UnsortedSegmentSum)).toBe(stock);
  });

  it('matches the stock kernel on random float32 inputs with negative and out-of-range ids', () => {
    const rand = seededRandom(7);
    for (let trial = 0; trial < 40; trial++) {
      const rows = randomInt(rand, 1, 60);
      const inner = randomInt(rand, 1, 9);
      const numSegments = randomInt(rand, 1, 30);
      const x = tf.tensor2d(
        Float32Array.from({ length: rows * inner }, () => rand() * 200 - 100),
        [rows, inner],
      );
      // Ids from -5 to numSegments + 4: some dropped on each side.
      const ids = tf.tensor1d(
        Int32Array.from({ length: rows }, () => randomInt(rand, -5, numSegments + 5)),
        'int32',
      );
      expectSameAsStock(x, ids, numSegments);
      tf.dispose([x, ids]);
    }
  });

  it('matches the stock kernel on int32 inputs, including values float32 cannot hold exactly', () => {
    const rand = seededRandom(11);
    for (let trial = 0; trial < 20; trial++) {
      const rows = randomInt(rand, 1, 40);
      const inner = randomInt(rand, 1, 6);
      const numSegments = randomInt(rand, 1, 12);
      const big = trial % 2 === 0 ? 1 << 30 : 1000;
      const x = tf.tensor2d(
        Int32Array.from({ length: rows * inner }, () => randomInt(rand, -big, big)),
        [rows, inner],
        'int32',
      );
      const ids = tf.tensor1d(
        Int32Array.from({ length: rows }, () => randomInt(rand, -3, numSegments + 3)),
        'int32',
      );
      expectSameAsStock(x, ids, numSegments);
      tf.dispose([x, ids]);
    }
  });

  it('matches the stock kernel on rank-1 and rank-3 data, and on bool data', () => {
    const rand = seededRandom(3);
    const ids = tf.tensor1d(
      Int32Array.from({ length: 17 }, () => randomInt(rand, -2, 8)),
      'int32',
    );
    const x1 = tf.tensor1d(Float32Array.from({ length: 17 }, () => rand() - 0.5));
    const x3 = tf.tensor3d(
      Float32Array.from({ length: 17 * 3 * 4 }, () => rand() - 0.5),
      [17, 3, 4],
    );
    const xb = tf.tensor2d(
      Uint8Array.from({ length: 17 * 2 }, () => (rand() < 0.5 ? 1 : 0)),
      [17, 2],
      'bool',
    );
    expectSameAsStock(x1, ids, 6);
    expectSameAsStock(x3, ids, 6);
    expectSameAsStock(xb, ids, 6);
    tf.dispose([ids, x1, x3, xb]);
  });

  it('matches the stock kernel when every id is out of range, and when ids are 2-D like the data', () => {
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);
    const outside = tf.tensor1d([-1, 4, 9], 'int32');
    expectSameAsStock(x, outside, 4);
    const ids2d = tf.tensor2d([0, 1, 1, 0, 2, 2], [3, 2], 'int32');
    expectSameAsStock(x, ids2d, 3);
    tf.dispose([x, outside, ids2d]);
  });

  it('keeps a NaN in its own segment (TensorFlow semantics; the stock mask spreads it everywhere)', () => {
    const x = tf.tensor2d([NaN, 1, 2, 3, 4, 5], [3, 2]);
    const ids = tf.tensor1d([0, 1, 1], 'int32');
    const out = tf.unsortedSegmentSum(x, ids, 2).arraySync() as number[][];
    expect(out[0][0]).toBeNaN();
    expect(out[0][1]).toBe(1);
    expect(out[1]).toEqual([2 + 4, 3 + 5]);
    tf.dispose([x, ids]);
  });

  it('gives the same Embedding gradient as the stock kernel', () => {
    const rand = seededRandom(5);
    const vocab = 500;
    const params = tf.tensor2d(
      Float32Array.from({ length: vocab * 8 }, () => rand() - 0.5),
      [vocab, 8],
    );
    const tokens = tf.tensor2d(
      Int32Array.from({ length: 32 * 20 }, () => randomInt(rand, 0, vocab)),
      [32, 20],
      'int32',
    );
    const weights = tf.tensor2d(
      Float32Array.from({ length: 20 * 8 }, () => rand() - 0.5),
      [20 * 8, 1],
    );
    const loss = (p: tf.Tensor) => tf.matMul(tf.reshape(tf.gather(p, tokens), [32, 20 * 8]), weights).sum() as tf.Scalar;
    const grad = tf.grad(loss);
    const ours = grad(params);
    useStockKernels();
    try {
      expect(tf.getKernel(tf.UnsortedSegmentSum, 'cpu').kernelFunc).toBe(stock);
      const theirs = grad(params);
      expect(Array.from(ours.dataSync())).toEqual(Array.from(theirs.dataSync()));
    } finally {
      useProjectKernels();
    }
    expect(tf.getKernel(tf.UnsortedSegmentSum, 'cpu').kernelFunc).toBe(unsortedSegmentSumCpu);
  });
});
