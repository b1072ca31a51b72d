// A model's forward pass on the compiled step's stages (see compiled-step.ts): what
// `model.predict` computes, without one tfjs op per layer and with the Embedding → Conv1D pair
// run on the batch's distinct tokens. It reads the model's variables in place, so it follows
// the weights as they change; it needs no loss and no optimizer.

import { bidirectionalParts, recurrentCellFields } from '@seqlearn/backend/internals';
import type { tf } from '../tf.js';
import { InputShapeError, ModelConfigError } from '../errors.js';
import { activate, isActivationName, type ActivationName } from './activation.js';
import { planChain, type PlanOptions } from './plan.js';
import { isFusedRecurrent } from '../layers/fused-cell-of.js';
import { EmbeddingStage } from './embedding-stage.js';
import { RecurrentStage } from './recurrent-stage.js';
import type { Activation, Stage } from './stage.js';

/** The output layer's activation, applied after the stages (which leave the last Dense linear). */
interface OutputHead {
  activation: ActivationName | 'softmax';
  units: number;
}

export interface CompiledPredict {
  /** Output units per row. */
  readonly units: number;
  /**
   * The model's outputs for `x` (row-major with `xShape`, batch first: token ids for a model
   * that starts with an Embedding, floats otherwise), `[rows, units]` row-major. Rows are run
   * `batchSize` at a time.
   */
  predict(x: Int32Array | Float32Array, xShape: readonly number[]): Float32Array;
}

export interface CompilePredictOptions extends PlanOptions {
  /** Rows per forward pass (default 128): bounds the memory of the intermediate activations. */
  batchSize?: number;
}

function outputHead(activation: unknown, units: number): OutputHead | string {
  if (activation === 'softmax' || isActivationName(activation)) return { activation, units };
  return `the output layer's activation ${String(activation)} has no compiled form`;
}

/** The compiled forward pass of `model`, or why there is none. */
export function planPredict(model: tf.LayersModel, opts: CompilePredictOptions = {}): CompiledPredict | string {
  const batchSize = opts.batchSize ?? 128;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new ModelConfigError(`compilePredict: batchSize must be a positive integer, got ${batchSize}`);
  const chain = planChain(model, opts, outputHead, false);
  if (typeof chain === 'string') return chain;
  const dropout = recurrentDropoutRefusal(model);
  if (dropout !== null) return dropout;
  return new StagedPredict(chain.stages, chain.head, batchSize);
}

/**
 * The stages' recurrent pass is the training one: it would draw dropout masks (and advance the
 * layer's mask stream), where inference applies none. Such layers go to tfjs's predict.
 */
function recurrentDropoutRefusal(model: tf.LayersModel): string | null {
  for (const layer of model.layers) {
    const cells =
      layer.getClassName() === 'Bidirectional'
        ? [bidirectionalParts(layer).forwardLayer, bidirectionalParts(layer).backwardLayer]
        : [layer];
    for (const cell of cells) {
      if (!isFusedRecurrent(cell)) continue;
      const { dropout, recurrentDropout } = recurrentCellFields(cell as tf.RNN);
      if (dropout > 0 || recurrentDropout > 0) return `layer '${layer.name}' has dropout, which the compiled forward pass would apply`;
    }
  }
  return null;
}

/** Compiles `model`'s forward pass; throws ModelConfigError with the reason when it cannot. */
export function compilePredict(model: tf.LayersModel, opts: CompilePredictOptions = {}): CompiledPredict {
  const plan = planPredict(model, opts);
  if (typeof plan === 'string') throw new ModelConfigError(`compilePredict: ${plan}`);
  return plan;
}

class StagedPredict implements CompiledPredict {
  readonly units: number;
  /** An Embedding and the recurrent layer it feeds, which may run as one (inferFromTokens). */
  private readonly tokenInputs: [EmbeddingStage, RecurrentStage] | null;

  constructor(
    private readonly stages: Stage[],
    private readonly head: OutputHead,
    private readonly batchSize: number,
  ) {
    this.units = head.units;
    const [first, second] = stages;
    this.tokenInputs = first instanceof EmbeddingStage && second instanceof RecurrentStage ? [first, second] : null;
  }

  private forward(input: Activation): Activation {
    let a = input;
    let from = 0;
    if (this.tokenInputs !== null) {
      const [embedding, recurrent] = this.tokenInputs;
      const looked = embedding.lookup(a);
      const out = recurrent.inferFromTokens(looked.ids, a.shape, looked.table, looked.mask);
      // Otherwise the recurrent stage takes the rows of the ids already checked.
      [a, from] = out !== null ? [out, 2] : [embedding.rows(looked, a.shape), 1];
    }
    for (let i = from; i < this.stages.length; i++) a = this.stages[i].forward(a);
    return a;
  }

  predict(x: Int32Array | Float32Array, xShape: readonly number[]): Float32Array {
    const size = xShape.reduce((a, b) => a * b, 1);
    if (xShape.length < 2 || x.length !== size) {
      throw new InputShapeError(
        `compiled predict: x has ${x.length} values for shape [${xShape.join(', ')}]; expected [batch, ...] with as many values`,
      );
    }
    const rows = xShape[0];
    const rowSize = rows === 0 ? 0 : size / rows;
    const out = new Float32Array(rows * this.units);
    for (let start = 0; start < rows; start += this.batchSize) {
      const n = Math.min(this.batchSize, rows - start);
      const a = this.forward({ values: x.subarray(start * rowSize, (start + n) * rowSize), shape: [n, ...xShape.slice(1)] });
      const z = out.subarray(start * this.units, (start + n) * this.units);
      z.set(a.values);
      if (this.head.activation === 'softmax') softmaxRows(z, this.units);
      else activate(this.head.activation, z);
    }
    return out;
  }
}

/** Softmax of each row, as tfjs computes it: exp(z - max) over its sum. */
function softmaxRows(z: Float32Array, units: number): void {
  for (let r = 0; r < z.length; r += units) {
    let max = -Infinity;
    for (let i = r; i < r + units; i++) if (z[i] > max) max = z[i];
    let sum = 0;
    for (let i = r; i < r + units; i++) {
      z[i] = Math.exp(z[i] - max);
      sum += z[i];
    }
    for (let i = r; i < r + units; i++) z[i] /= sum;
  }
}
