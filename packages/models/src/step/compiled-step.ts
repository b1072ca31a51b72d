// A model's training step compiled to plain loops over Float32Arrays: the forward pass, the
// backward pass and the optimizer update of a Sequential model, without one tfjs op per layer.
// It is what Keras's compiled train function is to eager execution. tfjs-layers runs each step
// as about a hundred kernel calls through the engine (tensor bookkeeping, autodiff tape,
// broadcasting checks); for small models that bookkeeping is the whole cost, and for an
// Embedding that feeds a Conv1D it cannot see that the convolution can run on the vocabulary
// instead of on every position (see embedding-conv1d-stage.ts).
//
// The model stays a tfjs LayersModel: the step reads and updates the same variables, and the
// update goes through the model's own optimizer (its slots, its iteration count), so a model
// trained here saves, loads, evaluates and keeps training with trainOnBatch as before.

import { tf } from '../tf.js';
import { InputShapeError, ModelConfigError } from '../errors.js';
import { planStages, type EmbeddingConvPath, type StagePlan } from './plan.js';
import type { Activation, VariableGradient } from './stage.js';

export type { EmbeddingConvPath } from './plan.js';

export interface CompileTrainStepOptions {
  /**
   * How an Embedding followed by a Conv1D runs: 'table' multiplies the vocabulary rows a batch
   * uses by the kernel once and sums rows per position; 'direct' convolves the looked-up
   * vectors; 'auto' (the default) picks the cheaper one for each batch.
   */
  embeddingConv?: EmbeddingConvPath;
}

/** Whether a model's training step can be compiled, and if not, why. */
export type TrainStepSupport = { supported: true } | { supported: false; reason: string };

/** One training step on host arrays, returning what `trainOnBatch` returns: loss, then metrics. */
export interface CompiledTrainStep {
  /** The names of the values `run` returns, as the model's `metricsNames` (`['loss', 'acc']`). */
  readonly metricsNames: readonly string[];
  /**
   * Trains on one batch. `x` is row-major with `xShape` (batch first): token ids for a model
   * that starts with an Embedding, floats otherwise. `y` holds the labels as `trainOnBatch`
   * takes them (0/1, class indices, or targets), one row per sample. `sampleWeight`, one
   * value a row, weights each row's loss as Keras's `sample_weight` does: the loss is
   * mean(w · loss) over the batch, the metrics are unweighted.
   */
  run(x: Int32Array | Float32Array, xShape: readonly number[], y: Float32Array, sampleWeight?: Float32Array): number[];
}

/** Tells whether `compileTrainStep` accepts the model, with the first reason it does not. */
export function trainStepSupport(model: tf.LayersModel): TrainStepSupport {
  const plan = planStages(model, {});
  return typeof plan === 'string' ? { supported: false, reason: plan } : { supported: true };
}

/**
 * Compiles a model's training step. The model must be compiled (loss, optimizer) and be a
 * chain of layers this module knows (Embedding, Conv1D, MaxPooling1D, GlobalMaxPooling1D,
 * Flatten, Dense, and the fused SimpleRNN, LSTM and GRU) ending in a head whose loss it
 * knows; `trainStepSupport` says why not.
 * Runs on the `cpu` backend, where variables live in JavaScript memory.
 */
export function compileTrainStep(model: tf.LayersModel, opts: CompileTrainStepOptions = {}): CompiledTrainStep {
  const plan = planStages(model, { embeddingConv: opts.embeddingConv ?? 'auto' });
  if (typeof plan === 'string') throw new ModelConfigError(`compileTrainStep: ${plan}`);
  return new StagedTrainStep(model, plan);
}

class StagedTrainStep implements CompiledTrainStep {
  readonly metricsNames: readonly string[];

  constructor(
    private readonly model: tf.LayersModel,
    private readonly plan: StagePlan,
  ) {
    this.metricsNames = plan.head.metricsNames;
  }

  run(x: Int32Array | Float32Array, xShape: readonly number[], y: Float32Array, sampleWeight?: Float32Array): number[] {
    const { stages, head } = this.plan;
    const size = xShape.reduce((a, b) => a * b, 1);
    if (xShape.length < 2 || x.length !== size) {
      throw new InputShapeError(
        `compiled train step: x has ${x.length} values for shape [${xShape.join(', ')}]; expected [batch, ...] with as many values`,
      );
    }
    head.requireLabels(y, xShape[0]);
    if (sampleWeight !== undefined) requireSampleWeights(sampleWeight, xShape[0]);
    let a: Activation = { values: x, shape: [...xShape] };
    for (const stage of stages) a = stage.forward(a);
    const { values, gradient } = head.lossAndGradient(a, y, sampleWeight);
    let d: Float32Array | null = gradient;
    for (let i = stages.length - 1; i >= 0 && d !== null; i--) d = stages[i].backward(d, i > 0);
    this.applyGradients();
    return values;
  }

  private applyGradients(): void {
    const byName = new Map<string, VariableGradient>();
    for (const stage of this.plan.stages) for (const g of stage.gradients()) byName.set(g.variable.name, g);
    // tfjs's optimizers keep their slots by position in the list they are given, so the list
    // goes in the model's own order, as trainOnBatch passes it: then either can take the next step.
    const grads: tf.NamedTensorMap = {};
    for (const weight of this.model.trainableWeights) {
      const g = byName.get((weight.read() as tf.Variable).name);
      if (g !== undefined) grads[g.variable.name] = tf.tensor(g.values, g.variable.shape, 'float32');
    }
    const names = Object.keys(grads);
    if (names.length === 0) return;
    try {
      (this.model.optimizer as tf.Optimizer).applyGradients(grads);
    } finally {
      tf.dispose(names.map((n) => grads[n]));
    }
  }
}

function requireSampleWeights(w: Float32Array, rows: number): void {
  if (w.length !== rows) throw new InputShapeError(`compiled train step: ${w.length} sample weights for ${rows} rows; expected one a row`);
  for (let r = 0; r < rows; r++) {
    if (!(w[r] >= 0 && Number.isFinite(w[r])))
      throw new InputShapeError(`compiled train step: sample weight ${w[r]} in row ${r} is not a finite number >= 0`);
  }
}
