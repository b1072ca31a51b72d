import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../src/index.js';
import { randomTensor, stockAndOurs } from './kernels-compare.js';
import { seededRandom } from './seeded-random.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

/** Same shape, dtype and values, NaN included (toEqual treats NaN as equal to NaN). */
function expectIdentical(ours: tf.Tensor, stock: tf.Tensor): void {
  expect(ours.shape).toEqual(stock.shape);
  expect(ours.dtype).toBe(stock.dtype);
  expect(Array.from(ours.dataSync())).toEqual(Array.from(stock.dataSync()));
}

describe('Sum and Max over a block of axes', () => {
  const cases: Array<[number[], number | number[]]> = [
    [
      [6, 7, 5],
      [0, 1],
    ], // a bias gradient: batch and time
    [[6, 7, 5], 1], // a global max pool: time
    [[6, 7, 5], -1],
    [
      [6, 7, 5],
      [1, 2],
    ],
    [
      [6, 7, 5],
      [0, 1, 2],
    ],
    [
      [4, 3, 2, 5],
      [1, 2],
    ],
    [[9], 0],
    [
      [6, 7, 5],
      [0, 2],
    ], // not one block: the stock kernels
  ];
  for (const keepDims of [false, true]) {
    it(`bit-identical to the stock kernels on every axis form (keepDims ${keepDims})`, () => {
      const rand = seededRandom(keepDims ? 3 : 4);
      for (const [shape, axis] of cases) {
        // Large values make float64 accumulation order visible if it differed.
        const x = tf.mul(randomTensor(rand, shape), 1e4);
        for (const op of [tf.sum, tf.max] as const) {
          const { stock, ours } = stockAndOurs(() => op(x, axis, keepDims));
          expectIdentical(ours, stock);
        }
      }
    });
  }

  it('Max lets NaN win wherever it appears, as the stock kernel does', () => {
    const x = tf.tensor(
      [
        [1, NaN, 3],
        [4, 5, 6],
        [NaN, 2, 9],
      ],
      [3, 3],
    );
    for (const axis of [0, 1]) {
      const { stock, ours } = stockAndOurs(() => tf.max(x, axis));
      expectIdentical(ours, stock);
    }
  });

  it('int32 goes to the stock kernels', () => {
    const x = tf.tensor(
      [
        [1, 2],
        [3, 4],
      ],
      [2, 2],
      'int32',
    );
    const { stock, ours } = stockAndOurs(() => tf.sum(x, 0));
    expectIdentical(ours, stock);
  });
});

describe('Relu and Step', () => {
  it('match the stock kernels, NaN, zeros and the leaky alpha included', () => {
    const rand = seededRandom(5);
    const values = Float32Array.from({ length: 200 }, () => rand() * 2 - 1);
    values.set([NaN, 0, -0, Infinity, -Infinity], 0);
    const x = tf.tensor(values, [10, 20]);
    const cases: Array<() => tf.Tensor> = [
      () => tf.relu(x),
      () => tf.step(x),
      () => tf.step(x, 0.3),
      () => tf.grad((t: tf.Tensor) => tf.sum(tf.relu(t)))(x),
    ];
    for (const f of cases) {
      const { stock, ours } = stockAndOurs(f);
      expectIdentical(ours, stock);
    }
  });
});

describe('large tensors, whose elementwise kernels run in WebAssembly', () => {
  // Odd sizes and a row of 7, so that the vector loops' scalar tails run too.
  const special = [NaN, 0, -0, Infinity, -Infinity, 1e-40, -1e-40, 3.4e38];
  const sample = (rand: () => number, n: number) => {
    const v = Float32Array.from({ length: n }, () => (rand() * 2 - 1) * 10);
    for (let i = 0; i < special.length; i++) v[(i * 7919) % n] = special[i];
    v[n - 1] = NaN;
    return v;
  };

  it("Relu, Step and Relu's gradient match the stock kernels bit for bit", () => {
    const x = tf.tensor(sample(seededRandom(8), 20003), [20003]);
    for (const f of [() => tf.relu(x), () => tf.step(x), () => tf.step(x, 0.3), () => tf.grad((t: tf.Tensor) => tf.sum(tf.relu(t)))(x)]) {
      const { stock, ours } = stockAndOurs(f);
      expectIdentical(ours, stock);
    }
  });

  it('Add, Sub, Mul and Div on same shapes, scalars and rows match the stock kernels bit for bit', () => {
    const rand = seededRandom(9);
    const pairs: Array<[number[], number[]]> = [
      [
        [131, 157],
        [131, 157],
      ],
      [[131, 157], []],
      [[], [131, 157]],
      [[64, 50, 7], [7]],
      [[7], [64, 50, 7]],
      [
        [40, 500, 1, 3],
        [1, 1, 3],
      ],
    ];
    for (const [sa, sb] of pairs) {
      const a = tf.tensor(
        sample(
          rand,
          sa.reduce((p, d) => p * d, 1),
        ),
        sa,
      );
      const b = tf.tensor(
        sample(
          rand,
          sb.reduce((p, d) => p * d, 1),
        ),
        sb,
      );
      for (const op of [tf.add, tf.sub, tf.mul, tf.div]) {
        const { stock, ours } = stockAndOurs(() => op(a, b));
        expectIdentical(ours, stock);
      }
    }
  });
});

describe('general broadcasting and Equal', () => {
  it('Add, Sub, Mul, Div and Equal on middle and mixed broadcasts match the stock kernels', () => {
    const rand = seededRandom(6);
    const pairs: Array<[number[], number[]]> = [
      [
        [8, 1, 5],
        [8, 9, 5],
      ], // a global max pool's gradient
      [
        [8, 9, 5],
        [8, 1, 5],
      ],
      [
        [4, 1],
        [1, 6],
      ],
      [
        [2, 3, 1, 5],
        [3, 4, 1],
      ],
      [
        [2, 1, 3, 1, 4, 1],
        [1, 5, 1, 2, 1, 3],
      ], // more than four axes after merging: stock
      [
        [6, 7],
        [6, 7],
      ],
    ];
    const ops: Array<(a: tf.Tensor, b: tf.Tensor) => tf.Tensor> = [tf.add, tf.sub, tf.mul, tf.div, tf.equal];
    for (const [sa, sb] of pairs) {
      const a = randomTensor(rand, sa);
      // Rounded so that Equal finds matches; shifted so that Div never divides by zero.
      const b = tf.add(tf.round(tf.mul(randomTensor(rand, sb), 2)), 3);
      const a2 = tf.add(tf.round(tf.mul(a, 2)), 3);
      for (const op of ops) {
        for (const [x, y] of [
          [a, b],
          [a2, b],
        ] as const) {
          const { stock, ours } = stockAndOurs(() => op(x, y));
          expectIdentical(ours, stock);
        }
      }
    }
  });
});
