import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../src/index.js';
import { randomTensor, stockAndOurs } from './kernels-compare.js';
import { seededRandom } from './seeded-random.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('float32 Add, Sub, Multiply, RealDiv fast paths', () => {
  const ops: Array<[string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor]> = [
    ['add', tf.add],
    ['sub', tf.sub],
    ['mul', tf.mul],
    ['div', tf.div],
  ];
  const shapePairs: Array<[number[], number[]]> = [
    [
      [4, 5],
      [4, 5],
    ], // same shape
    [[3, 2, 5], []], // scalar second
    [[], [3, 2, 5]], // scalar first
    [[6, 7], [7]], // bias row
    [[7], [2, 3, 7]], // row first
    [
      [2, 3, 4],
      [3, 4],
    ], // trailing block
    [
      [4, 1],
      [1, 5],
    ], // general broadcast: stock path
    [[4, 5], [1]], // size-1 vector
    [
      [3, 4, 6],
      [1, 1, 6],
    ], // bias reshaped for a rank-3 input
    [
      [1, 1, 6],
      [3, 4, 6],
    ],
  ];
  for (const [name, op] of ops) {
    it(`${name}: bit-identical to the stock kernel on every broadcast form`, () => {
      const rand = seededRandom(name.length * 13);
      for (const [sa, sb] of shapePairs) {
        const a = randomTensor(rand, sa);
        const b = tf.add(randomTensor(rand, sb), 3); // keeps divisors away from 0
        const { stock, ours } = stockAndOurs(() => op(a, b));
        expect(ours.shape).toEqual(stock.shape);
        expect(Array.from(ours.dataSync())).toEqual(Array.from(stock.dataSync()));
      }
      // int32 goes to the stock kernel and stays int32.
      const i = tf.tensor([1, 2, 3], [3], 'int32');
      const { stock, ours } = stockAndOurs(() => op(i, tf.tensor([4, 5, 6], [3], 'int32')));
      expect(ours.dtype).toBe(stock.dtype);
      expect(Array.from(ours.dataSync())).toEqual(Array.from(stock.dataSync()));
    });
  }
});

describe('Transpose fast paths', () => {
  it('identity and last-two-axes permutations, any size, match the stock kernel exactly', () => {
    const rand = seededRandom(99);
    const cases: Array<[number[], number[]]> = [
      [
        [10000 % 97, 8],
        [0, 1],
      ],
      [
        [37, 45],
        [1, 0],
      ],
      [
        [3, 33, 70],
        [0, 2, 1],
      ],
      [
        [2, 3, 4],
        [2, 1, 0],
      ],
      [[5], [0]],
    ];
    for (const [shape, perm] of cases) {
      for (const dtype of ['float32', 'int32'] as const) {
        const x = tf.cast(tf.mul(randomTensor(rand, shape), 100), dtype);
        const { stock, ours } = stockAndOurs(() => tf.transpose(x, perm));
        expect(ours.shape).toEqual(stock.shape);
        expect(ours.dtype).toBe(stock.dtype);
        expect(Array.from(ours.dataSync())).toEqual(Array.from(stock.dataSync()));
      }
    }
  });

  it('identity permutation: shares the input buffer, and each tensor outlives the other', () => {
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2]);
    const y = tf.transpose(x, [0, 1]);
    expect(y.dataId).toBe(x.dataId);
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
    const z = tf.transpose(y, [0, 1]);
    z.dispose();
    expect(Array.from(y.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
    y.dispose();
  });
});
