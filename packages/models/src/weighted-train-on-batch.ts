// trainOnBatch with per-row loss weights, for the models the compiled step does not take.
// tfjs-layers' trainOnBatch has no sample weights; this is its train function with them, as
// tfjs's own fit computes a classWeight step: the loss is mean(loss · w), plus the
// regularization losses; the metrics are unweighted.

import { compiledModelInternals } from '@seqlearn/backend/internals';
import { tf } from './tf.js';

/** One weighted training step on tensors; returns the loss, then the metrics (as trainOnBatch). */
export function weightedTrainOnBatch(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor, weights: Float32Array): number[] {
  const internals = compiledModelInternals(model);
  const lossFn = internals.lossFunctions[0];
  const metricFns = internals.metricsTensors.map(([fn]) => fn);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const w = tf.tensor1d(weights, 'float32');
  let metricValues: number[] = [];
  try {
    const loss = (model.optimizer as tf.Optimizer).minimize(
      () => {
        const prediction = model.apply(x, { training: true }) as tf.Tensor;
        const perRow = lossFn(y, prediction);
        let total = tf.mean(tf.mul(perRow, w)) as tf.Scalar;
        for (const extra of internals.calculateLosses?.() ?? []) total = tf.add(total, extra);
        metricValues = tf.tidy(() => metricFns.map((fn) => tf.mean(fn(y, prediction)).dataSync()[0]));
        return total;
      },
      true,
      variables,
    );
    const value = loss!.dataSync()[0];
    loss!.dispose();
    return [value, ...metricValues];
  } finally {
    w.dispose();
  }
}
