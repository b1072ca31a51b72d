import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fusedOptimizersActive, initBackend, useProjectKernels, useStockKernels } from '../src/index.js';
import { expectClose, randomTensor } from './kernels-compare.js';
import { seededRandom } from './seeded-random.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

/** Trains two copies of the same variables for a few steps, one per implementation. */
function trainBoth(makeOptimizer: () => tf.Optimizer, seed: number, shapes = [[5, 3], [3], [2, 2, 2]], zeroRowShare = 0): void {
  const rand = seededRandom(seed);
  const init = shapes.map((s) => randomTensor(rand, s));
  // Rows of zero gradient, as an Embedding's gradient has for every token a batch did not use.
  const withZeroRows = (t: tf.Tensor): tf.Tensor => {
    if (zeroRowShare === 0 || t.rank < 2) return t;
    const keep = tf.tensor(
      Array.from({ length: t.shape[0] }, () => (rand() < zeroRowShare ? 0 : 1)),
      [t.shape[0], 1],
    );
    return tf.mul(t, keep);
  };
  const gradsPerStep = Array.from({ length: 4 }, () => shapes.map((s) => withZeroRows(randomTensor(rand, s))));
  const run = (fused: boolean, tag: string) => {
    if (fused) useProjectKernels();
    else useStockKernels();
    expect(fusedOptimizersActive()).toBe(fused);
    const vars = init.map((t, i) => tf.variable(t.clone(), true, `${tag}_${seed}_${i}`));
    const opt = makeOptimizer();
    for (const grads of gradsPerStep) {
      opt.applyGradients(vars.map((v, i) => ({ name: v.name, tensor: grads[i] })));
    }
    return { vars, opt };
  };
  const stock = run(false, 'stock');
  const ours = run(true, 'ours');
  useProjectKernels();
  for (let i = 0; i < shapes.length; i++) expectClose(ours.vars[i], stock.vars[i], 1e-5, `variable ${i}`);
  expect(ours.opt.iterations).toBe(stock.opt.iterations);
}

describe('fused optimizer updates match tfjs', () => {
  it('rmsprop, plain', () => trainBoth(() => tf.train.rmsprop(0.01), 1));
  it('rmsprop on a variable large enough for WebAssembly, with rows of zero gradient, plain and with momentum', () => {
    trainBoth(() => tf.train.rmsprop(0.01), 31, [[2501, 8], [7]], 0.5);
    trainBoth(() => tf.train.rmsprop(0.01, 0.9, 0.5, 1e-7), 32, [[4099, 5]], 0.5);
  });
  it('rmsprop, momentum and centered', () => trainBoth(() => tf.train.rmsprop(0.01, 0.8, 0.5, 1e-6, true), 2));
  it('adam', () => trainBoth(() => tf.train.adam(0.01, 0.8, 0.95), 3));
  it('adam, default settings', () => trainBoth(() => tf.train.adam(), 4));

  it('optimizer state keeps tfjs names and layout', async () => {
    useProjectKernels();
    const v = tf.variable(tf.ones([3]), true, 'state_probe');
    const opt = tf.train.rmsprop(0.1);
    opt.applyGradients([{ name: v.name, tensor: tf.ones([3]) }]);
    const weights = await opt.getWeights();
    expect(weights.map((w) => w.name)).toEqual(['iter', 'state_probe/rms', 'state_probe/momentum']);
    expect(Array.from(weights[1].tensor.dataSync())).toEqual(Array.from(tf.fill([3], 0.1).dataSync()));
  });

  it('updates a variable in place only when nothing else shares its buffer', () => {
    useProjectKernels();
    const v = tf.variable(tf.tensor([1, 2, 3]), true, 'in_place_probe');
    const opt = tf.train.rmsprop(0.1);
    const step = () => opt.applyGradients([{ name: v.name, tensor: tf.ones([3]) }]);
    step();
    const ownBefore = v.dataSync();
    step();
    // Nothing else held the buffer: the same array now holds the new values.
    expect(v.dataSync()).toBe(ownBefore);
    const kept = tf.clone(v);
    const keptValues = Array.from(kept.dataSync());
    step();
    // A clone shares the buffer, so the update went to a new one and the clone is unchanged.
    expect(Array.from(kept.dataSync())).toEqual(keptValues);
    expect(Array.from(v.dataSync())).not.toEqual(keptValues);
  });
});
