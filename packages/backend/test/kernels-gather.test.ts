import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, useProjectKernels } from '../src/index.js';
import { randomTensor, stockAndOurs } from './kernels-compare.js';
import { seededRandom } from './seeded-random.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('GatherV2', () => {
  it('matches the stock kernel exactly for every axis, index rank and dtype', () => {
    const rand = seededRandom(7);
    const cases: Array<{ shape: number[]; axis: number; indexShape: number[] }> = [
      { shape: [50, 8], axis: 0, indexShape: [4, 9] }, // an Embedding lookup
      { shape: [30, 70], axis: 0, indexShape: [3, 5] }, // rows long enough to copy as blocks
      { shape: [50, 8], axis: 1, indexShape: [5] },
      { shape: [3, 20, 4], axis: 1, indexShape: [2, 3] },
      { shape: [3, 4, 20], axis: -1, indexShape: [6] }, // inner size 1
      { shape: [30], axis: 0, indexShape: [7, 2] },
      // Large enough for the WebAssembly row copies: rows of 32 and of 7 (a scalar tail).
      { shape: [1000, 32], axis: 0, indexShape: [16, 40] },
      { shape: [500, 7], axis: 0, indexShape: [3000] },
    ];
    for (const { shape, axis, indexShape } of cases) {
      const x = randomTensor(rand, shape);
      const axisSize = shape[axis < 0 ? axis + shape.length : axis];
      const count = indexShape.reduce((a, b) => a * b, 1);
      const ids = tf.tensor(
        Int32Array.from({ length: count }, () => Math.floor(rand() * axisSize)),
        indexShape,
        'int32',
      );
      for (const input of [x, tf.cast(tf.mul(x, 100), 'int32')]) {
        const { stock, ours } = stockAndOurs(() => tf.gather(input, ids, axis));
        expect(ours.shape).toEqual(stock.shape);
        expect(ours.dtype).toBe(stock.dtype);
        expect(Array.from(ours.dataSync())).toEqual(Array.from(stock.dataSync()));
      }
    }
  });

  it('batchDims goes to the stock kernel and gives its result', () => {
    const rand = seededRandom(8);
    const x = randomTensor(rand, [2, 6, 3]);
    const ids = tf.tensor(
      [
        [0, 5],
        [4, 1],
      ],
      [2, 2],
      'int32',
    );
    const { stock, ours } = stockAndOurs(() => tf.gather(x, ids, 1, 1));
    expect(Array.from(ours.dataSync())).toEqual(Array.from(stock.dataSync()));
  });

  it('rejects an index outside the axis with the stock message', () => {
    useProjectKernels();
    const x = tf.zeros([5, 2]);
    expect(() => tf.gather(x, tf.tensor([1, 5], [2], 'int32'))).toThrow(/index value 5 is not in \[0, 4\]/);
    expect(() => tf.gather(x, tf.tensor([-1], [1], 'int32'))).toThrow(/index value -1 is not in \[0, 4\]/);
  });

  it('its gradient (the Embedding gradient) is unchanged', () => {
    const rand = seededRandom(9);
    const x = randomTensor(rand, [40, 6]);
    const ids = tf.tensor(
      Int32Array.from({ length: 30 }, () => Math.floor(rand() * 40)),
      [3, 10],
      'int32',
    );
    const f = (t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, ids), tf.range(0, 180).reshape([3, 10, 6])));
    const { stock, ours } = stockAndOurs(() => tf.grad(f)(x));
    expect(Array.from(ours.dataSync())).toEqual(Array.from(stock.dataSync()));
  });
});
