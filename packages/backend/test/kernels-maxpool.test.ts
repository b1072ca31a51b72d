import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, maxPool1d } from '../src/index.js';
import { expectClose, randomTensor, stockAndOurs } from './kernels-compare.js';
import { randomInt, seededRandom } from './seeded-random.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

type Pool = { filter: [number, number]; strides: [number, number]; pad: 'valid' | 'same' };

/** MaxPool and its gradient, ours against the stock kernels: outputs exactly, gradients within 1e-6. */
function comparePool(x: tf.Tensor4D, { filter, strides, pad }: Pool, rand: () => number): void {
  const up = randomTensor(rand, tf.maxPool(x, filter, strides, pad).shape);
  const { stock, ours } = stockAndOurs(() => [
    tf.maxPool(x, filter, strides, pad),
    tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, filter, strides, pad), up)))(x),
  ]);
  const what = JSON.stringify({ shape: x.shape, filter, strides, pad });
  expect(Array.from(ours[0].dataSync()), what).toEqual(Array.from(stock[0].dataSync()));
  // Overlapping windows add into one input pixel in another order than the stock kernel.
  expectClose(ours[1], stock[1], 1e-6, what);
}

describe('MaxPool and MaxPoolGrad against the stock kernels', () => {
  it('random shapes, windows, strides and padding, with ties: exactly equal', () => {
    const rand = seededRandom(3);
    for (let trial = 0; trial < 40; trial++) {
      const shape = [randomInt(rand, 1, 3), randomInt(rand, 1, 6), randomInt(rand, 2, 15), randomInt(rand, 1, 5)];
      const filter: [number, number] = [randomInt(rand, 1, Math.min(3, shape[1]) + 1), randomInt(rand, 1, 6)];
      if (filter[1] > shape[2]) continue;
      const strides: [number, number] = [randomInt(rand, 1, 3), randomInt(rand, 1, 4)];
      const pad = trial % 2 === 0 ? 'valid' : 'same';
      // Rounded values make ties common, which checks that the first maximum gets the gradient.
      const x = tf.round(tf.mul(randomTensor(rand, shape), 2)) as tf.Tensor4D;
      comparePool(x, { filter, strides, pad }, rand);
    }
  });

  it('large enough for the WebAssembly walk: same results, NaN and -Infinity windows included', () => {
    const rand = seededRandom(4);
    const cases: Array<Pool & { shape: number[] }> = [
      { shape: [8, 1, 494, 32], filter: [1, 5], strides: [1, 5], pad: 'valid' }, // conv1dText's MaxPooling1D(5)
      { shape: [4, 3, 200, 7], filter: [2, 3], strides: [1, 2], pad: 'same' }, // overlapping windows, odd channels
    ];
    for (const { shape, ...pool } of cases) {
      const values = tf.round(tf.mul(randomTensor(rand, shape), 2)).dataSync() as Float32Array;
      values.fill(Number.NEGATIVE_INFINITY, 0, 2 * shape[3] * 5);
      values[7] = NaN;
      comparePool(tf.tensor4d(values, shape as [number, number, number, number]), pool, rand);
    }
  });
});

describe("maxPool1d (the compiled training step's MaxPooling1D)", () => {
  it("gives the stock MaxPool's maxima and the index of each, in JavaScript and in WebAssembly", () => {
    const rand = seededRandom(8);
    // Small enough for JavaScript, then large enough for WebAssembly (16,384 floats or more);
    // rounded values make ties, which the first position must win.
    for (const [batch, steps, channels, pool, strides] of [
      [3, 11, 5, 3, 3],
      [2, 9, 3, 4, 2],
      [16, 200, 7, 5, 5],
      [8, 301, 9, 3, 2],
    ]) {
      const x = Float32Array.from({ length: batch * steps * channels }, () => Math.round(rand() * 8) - 4);
      const { out, where } = maxPool1d(x, batch, steps, channels, pool, strides);
      const stock = tf.maxPool(tf.tensor4d(x, [batch, 1, steps, channels]), [1, pool], [1, strides], 'valid');
      const what = JSON.stringify({ batch, steps, channels, pool, strides });
      expect(Array.from(out), what).toEqual(Array.from(stock.dataSync()));
      const outSteps = Math.floor((steps - pool) / strides) + 1;
      for (let i = 0; i < where.length; i++) {
        const c = i % channels,
          t = Math.floor(i / channels) % outSteps,
          b = Math.floor(i / (channels * outSteps));
        let first = -1;
        for (let k = 0; k < pool; k++) {
          const at = (b * steps + t * strides + k) * channels + c;
          if (first < 0 || x[at] > x[first]) first = at;
        }
        expect(where[i], `${what} output ${i}`).toBe(first);
      }
      // Written into arrays from an earlier call (holding stale values) instead of new ones.
      const into = { out: new Float32Array(out.length).fill(99), where: new Int32Array(where.length).fill(-7) };
      const again = maxPool1d(x, batch, steps, channels, pool, strides, into);
      expect(again.out).toBe(into.out);
      expect(again.where).toBe(into.where);
      expect(Array.from(again.out), what).toEqual(Array.from(out));
      expect(Array.from(again.where), what).toEqual(Array.from(where));
    }
  });
});
