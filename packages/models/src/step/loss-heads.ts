// The model's last activation, its loss and its metric, differentiated together with respect
// to the last Dense layer's output before activation. Each follows tfjs-layers' definition
// term by term, clipping included: tfjs clips probabilities to [ε, 1 − ε] (ε = 1e-7), and a
// clipped probability passes no gradient. The loss is the batch mean, as trainOnBatch's.
// With per-row weights the loss is mean(w · loss) over the batch, as tfjs's and Keras's
// sum-over-batch-size reduction computes it; the metrics stay unweighted, as Keras's
// `metrics` (not `weighted_metrics`) are.

import { InputShapeError, LabelRangeError } from '../errors.js';
import type { Activation, HeadResult, LossHead } from './stage.js';

const EPSILON = 1e-7;
/** The clip bounds as float32, which is how tfjs compares them with float32 probabilities. */
const LOW = Math.fround(EPSILON);
const HIGH = Math.fround(1 - EPSILON);

/** One label per output unit of every row (0/1 or targets). */
function requireLabelPerOutput(y: Float32Array, rows: number, units: number): void {
  if (y.length !== rows * units) {
    throw new InputShapeError(
      `compiled train step: ${y.length} labels for ${rows} rows of ${units} output${units === 1 ? '' : 's'}; expected ${rows * units}`,
    );
  }
}

const clip = (p: number) => (p < LOW ? LOW : p > HIGH ? HIGH : p);
const inRange = (p: number) => p >= LOW && p <= HIGH;

/** Dense(units, sigmoid) with binaryCrossentropy; 'acc' is binaryAccuracy (p > 0.5). */
export class SigmoidCrossEntropyHead implements LossHead {
  constructor(
    readonly metricsNames: readonly string[],
    private readonly units: number,
  ) {}

  requireLabels(y: Float32Array, rows: number): void {
    requireLabelPerOutput(y, rows, this.units);
  }

  lossAndGradient(logits: Activation, y: Float32Array, weights?: Float32Array): HeadResult {
    const z = logits.values as Float32Array;
    const [rows, units] = logits.shape;
    const count = rows * units;
    const gradient = new Float32Array(count);
    let loss = 0;
    let hits = 0;
    for (let i = 0; i < count; i++) {
      const p = Math.fround(1 / (1 + Math.exp(-z[i])));
      const q = clip(p);
      const logit = Math.log(q / (1 - q));
      const w = weights === undefined ? 1 : weights[Math.floor(i / units)];
      loss += w * (Math.max(logit, 0) - logit * y[i] + Math.log1p(Math.exp(-Math.abs(logit))));
      gradient[i] = inRange(p) ? (w * (p - y[i])) / count : 0;
      if ((p > 0.5 ? 1 : 0) === y[i]) hits++;
    }
    return { values: withAccuracy(this.metricsNames, loss / count, hits / count), gradient };
  }
}

/** Dense(classes, softmax) with sparseCategoricalCrossentropy; 'acc' compares the argmax with the label. */
export class SoftmaxCrossEntropyHead implements LossHead {
  constructor(
    readonly metricsNames: readonly string[],
    private readonly classes: number,
  ) {}

  requireLabels(y: Float32Array, rows: number): void {
    if (y.length !== rows)
      throw new InputShapeError(`compiled train step: ${y.length} labels for ${rows} rows; expected one class index a row`);
    for (let r = 0; r < rows; r++) {
      const label = Math.floor(y[r]);
      if (!(label >= 0 && label < this.classes))
        throw new LabelRangeError(`compiled train step: label ${y[r]} in row ${r} is not a class index in [0, ${this.classes})`);
    }
  }

  lossAndGradient(logits: Activation, y: Float32Array, weights?: Float32Array): HeadResult {
    const z = logits.values as Float32Array;
    const [rows, classes] = logits.shape;
    const gradient = new Float32Array(rows * classes);
    const p = new Float64Array(classes);
    const g = new Float64Array(classes);
    let loss = 0;
    let hits = 0;
    for (let r = 0; r < rows; r++) {
      const at = r * classes;
      const label = Math.floor(y[r]);
      let max = -Infinity;
      let best = 0;
      for (let j = 0; j < classes; j++) {
        if (z[at + j] > max) {
          max = z[at + j];
          best = j;
        }
      }
      let sumExp = 0;
      for (let j = 0; j < classes; j++) sumExp += p[j] = Math.exp(z[at + j] - max);
      let sum = 0;
      for (let j = 0; j < classes; j++) sum += clip((p[j] = Math.fround(p[j] / sumExp)));
      const ratio = clip(p[label]) / sum;
      const w = weights === undefined ? 1 : weights[r];
      loss -= w * Math.log(clip(ratio));
      if (best === label) hits++;
      // d loss / d p through the first clip, the renormalization and the second clip.
      let dot = 0;
      for (let j = 0; j < classes; j++) {
        g[j] = inRange(ratio) && inRange(p[j]) ? 1 / sum - (j === label ? 1 / clip(p[label]) : 0) : 0;
        dot += g[j] * p[j];
      }
      for (let j = 0; j < classes; j++) gradient[at + j] = (w * p[j] * (g[j] - dot)) / rows;
    }
    return { values: withAccuracy(this.metricsNames, loss / rows, hits / rows), gradient };
  }
}

/** Dense(units) with meanAbsoluteError or meanSquaredError. */
export class RegressionHead implements LossHead {
  readonly metricsNames: readonly string[] = ['loss'];

  constructor(
    private readonly loss: 'meanAbsoluteError' | 'meanSquaredError',
    private readonly units: number,
  ) {}

  requireLabels(y: Float32Array, rows: number): void {
    requireLabelPerOutput(y, rows, this.units);
  }

  lossAndGradient(outputs: Activation, y: Float32Array, weights?: Float32Array): HeadResult {
    const p = outputs.values as Float32Array;
    const count = p.length;
    const units = outputs.shape[1];
    const gradient = new Float32Array(count);
    let loss = 0;
    for (let i = 0; i < count; i++) {
      const e = p[i] - y[i];
      const w = weights === undefined ? 1 : weights[Math.floor(i / units)];
      if (this.loss === 'meanAbsoluteError') {
        loss += w * Math.abs(e);
        // tfjs's gradient of Abs is Step(x, -1): −1 at zero, not 0.
        gradient[i] = (w * (e > 0 ? 1 : -1)) / count;
      } else {
        loss += w * e * e;
        gradient[i] = (w * 2 * e) / count;
      }
    }
    return { values: [loss / count], gradient };
  }
}

function withAccuracy(names: readonly string[], loss: number, accuracy: number): number[] {
  return names.map((n) => (n === 'loss' ? loss : accuracy));
}
