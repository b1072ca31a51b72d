// From a compiled tfjs Sequential model to the stages of a compiled training step, or the
// reason there is none. Only configurations whose arithmetic the stages reproduce exactly are
// accepted: anything else (regularizers, constraints, dropout, stock recurrent layers, a mask
// reaching a layer other than a fused recurrent one) is refused by name, and training falls
// back to trainOnBatch.

import { bidirectionalParts, layerWeight, recurrentCellActivations } from '@seqlearn/backend/internals';
import { activationCode, type RecurrentCell } from '@seqlearn/backend/ops';
import { tf } from '../tf.js';
import { isActivationName, type ActivationName } from './activation.js';
import { Conv1dStage } from './conv1d-stage.js';
import { DenseStage } from './dense-stage.js';
import { EmbeddingConv1dStage, type EmbeddingConvPath } from './embedding-conv1d-stage.js';
import { EmbeddingStage } from './embedding-stage.js';
import { FlattenStage } from './flatten-stage.js';
import { GlobalMaxPooling1dStage } from './global-max-pooling1d-stage.js';
import { RegressionHead, SigmoidCrossEntropyHead, SoftmaxCrossEntropyHead } from './loss-heads.js';
import { MaxPooling1dStage } from './max-pooling1d-stage.js';
import { RecurrentStage } from './recurrent-stage.js';
import { BidirectionalStage } from './bidirectional-stage.js';
import type { FusedLayerView } from '../layers/fused-recurrent-call.js';
import { fusedCellOf } from '../layers/fused-cell-of.js';
import type { LossHead, Stage } from './stage.js';

export type { EmbeddingConvPath } from './embedding-conv1d-stage.js';

export interface StagePlan {
  stages: Stage[];
  head: LossHead;
}

export interface PlanOptions {
  embeddingConv?: EmbeddingConvPath;
}

type Config = Record<string, unknown>;

/** Config keys that must be null or absent: each changes the math in a way the stages do not follow. */
const EXTRAS = [
  'kernelRegularizer',
  'biasRegularizer',
  'activityRegularizer',
  'embeddingsRegularizer',
  'kernelConstraint',
  'biasConstraint',
  'embeddingsConstraint',
  'recurrentRegularizer',
  'recurrentConstraint',
] as const;

const variableOf = layerWeight;

function lossKey(model: tf.LayersModel): string {
  const loss: unknown = model.loss;
  const name = typeof loss === 'string' ? loss : Array.isArray(loss) && typeof loss[0] === 'string' ? loss[0] : '';
  return name.replace(/_/g, '').toLowerCase();
}

function one(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (Array.isArray(value) && value.length === 1 && typeof value[0] === 'number') return value[0];
  return undefined;
}

/** Why a layer's config cannot be compiled, or null when it can. */
function refusal(layer: tf.layers.Layer, config: Config): string | null {
  for (const key of EXTRAS) {
    if (config[key] != null && config[key] !== false)
      return `layer '${layer.name}' (${layer.getClassName()}) sets ${key}, which the compiled step does not implement`;
  }
  if (config['dataFormat'] != null && config['dataFormat'] !== 'channelsLast')
    return `layer '${layer.name}' uses dataFormat ${String(config['dataFormat'])}`;
  return null;
}

function activationOf(layer: tf.layers.Layer, config: Config): ActivationName | string {
  const name = config['activation'] ?? 'linear';
  return isActivationName(name)
    ? name
    : `layer '${layer.name}' has activation ${String(name)}, which the compiled step supports only on the output layer (softmax) or not at all`;
}

function headFor(model: tf.LayersModel, activation: unknown, units: number): LossHead | string {
  const loss = lossKey(model);
  const names = (model.metricsNames ?? []).slice();
  const extra = names.filter((n) => n !== 'loss' && n !== 'acc' && n !== 'accuracy');
  if (extra.length > 0) return `metric ${extra[0]} is not computed by the compiled step (only 'acc')`;
  if (loss === 'binarycrossentropy' && activation === 'sigmoid') return new SigmoidCrossEntropyHead(names, units);
  if (loss === 'sparsecategoricalcrossentropy' && activation === 'softmax') return new SoftmaxCrossEntropyHead(names, units);
  if ((loss === 'meanabsoluteerror' || loss === 'mae') && activation === 'linear' && names.length === 1)
    return new RegressionHead('meanAbsoluteError', units);
  if ((loss === 'meansquarederror' || loss === 'mse') && activation === 'linear' && names.length === 1)
    return new RegressionHead('meanSquaredError', units);
  return `loss '${lossKey(model) || 'custom'}' with a ${String(activation)} output layer has no compiled form`;
}

/** The stages of `model`'s training step, or why it cannot be compiled. */
export function planStages(model: tf.LayersModel, opts: PlanOptions): StagePlan | string {
  const plan = planChain(model, opts, (activation, units) => headFor(model, activation, units), true);
  return typeof plan === 'string' ? plan : { stages: plan.stages, head: plan.head };
}

/** A model's layers as stages, the last Dense layer without its activation, and what takes that activation's place. */
export interface StageChain<H> {
  stages: Stage[];
  head: H;
}

/**
 * The stages of `model`, the last Dense layer linear, with `makeHead` given that layer's
 * activation and units; or why there are none. A forward pass needs no optimizer; a training step does.
 */
export function planChain<H>(
  model: tf.LayersModel,
  opts: PlanOptions,
  makeHead: (activation: unknown, units: number) => H | string,
  needsOptimizer: boolean,
): StageChain<H> | string {
  if (tf.getBackend() !== 'cpu') return `the backend is '${tf.getBackend()}'; the compiled step runs on 'cpu' only`;
  if (model.getClassName() !== 'Sequential') return `the model is a ${model.getClassName()}; the compiled step takes Sequential models`;
  if (needsOptimizer && model.optimizer == null) return 'the model is not compiled';
  const layers = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
  const last = layers[layers.length - 1];
  if (last === undefined || last.getClassName() !== 'Dense') return 'the last layer is not a Dense layer';
  const lastConfig = last.getConfig() as Config;
  const head = makeHead(lastConfig['activation'] ?? 'linear', lastConfig['units'] as number);
  if (typeof head === 'string') return head;

  const stages: Stage[] = [];
  // Whether the current activation carries a mask (from an Embedding with maskZero).
  let masked = false;
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i];
    const config = layer.getConfig() as Config;
    const why = refusal(layer, config);
    if (why !== null) return why;
    const trainable = layer.trainable && model.trainable;
    const kind = layer.getClassName();
    const activation = layer === last ? 'linear' : activationOf(layer, config);
    if (activation !== 'linear' && !isActivationName(activation)) return activation;
    if (masked && !(kind in RECURRENT_KIND) && kind !== 'Bidirectional') {
      return `layer '${layer.name}' (${kind}) receives the mask of an Embedding with maskZero; the compiled step passes masks to recurrent layers only`;
    }
    switch (kind) {
      case 'Embedding': {
        if (i !== 0) return `layer '${layer.name}' (Embedding) is not the first layer`;
        const table = variableOf(layer, 'embeddings') as tf.Variable;
        const next = layers[i + 1];
        const maskZero = config['maskZero'] === true;
        if (maskZero && next !== undefined && next.getClassName() === 'Conv1D') {
          return `layer '${layer.name}' (Embedding) sets maskZero and feeds a Conv1D, which takes no mask`;
        }
        if (next !== undefined && next.getClassName() === 'Conv1D' && next !== last) {
          const conv = convRefusal(next);
          if (conv !== null) return conv;
          const convActivation = activationOf(next, next.getConfig() as Config);
          if (!isActivationName(convActivation)) return convActivation;
          stages.push(
            new EmbeddingConv1dStage(
              table,
              trainable,
              variableOf(next, 'kernel') as tf.Variable,
              variableOf(next, 'bias'),
              convActivation,
              next.trainable && model.trainable,
              opts.embeddingConv ?? 'auto',
              needsOptimizer,
            ),
          );
          i++;
        } else {
          stages.push(new EmbeddingStage(table, trainable, maskZero));
          masked = maskZero;
        }
        break;
      }
      case 'Conv1D': {
        const conv = convRefusal(layer);
        if (conv !== null) return conv;
        stages.push(
          new Conv1dStage(variableOf(layer, 'kernel') as tf.Variable, variableOf(layer, 'bias'), activation as ActivationName, trainable),
        );
        break;
      }
      case 'Dense': {
        const rank = (layer.input as tf.SymbolicTensor).shape.length;
        if (rank !== 2) return `layer '${layer.name}' (Dense) takes a rank-${rank} input; the compiled step takes rank 2`;
        stages.push(
          new DenseStage(variableOf(layer, 'kernel') as tf.Variable, variableOf(layer, 'bias'), activation as ActivationName, trainable),
        );
        break;
      }
      case 'MaxPooling1D': {
        const pool = one(config['poolSize']);
        const strides = one(config['strides']) ?? pool;
        if (config['padding'] !== 'valid' || pool === undefined || strides === undefined)
          return `layer '${layer.name}' (MaxPooling1D) is not a valid-padded pool`;
        stages.push(new MaxPooling1dStage(pool, strides));
        break;
      }
      case 'GlobalMaxPooling1D':
        stages.push(new GlobalMaxPooling1dStage());
        break;
      case 'Flatten':
        stages.push(new FlattenStage());
        break;
      // The fused layers report the stock class names; tfjs's own layers are refused.
      case 'SimpleRNN':
      case 'LSTM':
      case 'GRU': {
        if (fusedCellOf(layer) === undefined)
          return `layer '${layer.name}' is tfjs's own ${kind}; the compiled step takes the fused recurrent layers`;
        const why = recurrentRefusal(layer);
        if (why !== null) return why;
        stages.push(new RecurrentStage(layer as FusedLayerView, RECURRENT_KIND[kind], trainable));
        masked = masked && (layer as FusedLayerView).returnSequences;
        break;
      }
      case 'Bidirectional': {
        const wrapper = bidirectionalParts(layer);
        const inner = wrapper.forwardLayer.getClassName();
        if (!(inner in RECURRENT_KIND)) return `layer '${layer.name}' wraps a ${inner}; the compiled step takes fused recurrent layers`;
        if (fusedCellOf(wrapper.forwardLayer) === undefined)
          return `layer '${layer.name}' wraps tfjs's own ${inner}; the compiled step takes fused recurrent layers`;
        if (wrapper.mergeMode !== 'concat' || wrapper.returnSequences)
          return `layer '${layer.name}' merges by ${wrapper.mergeMode} or returns sequences; the compiled step takes concat of the last outputs`;
        const why = recurrentRefusal(wrapper.forwardLayer) ?? recurrentRefusal(wrapper.backwardLayer);
        if (why !== null) return why;
        const stage = (l: tf.layers.Layer) => new RecurrentStage(l as FusedLayerView, RECURRENT_KIND[inner], trainable && l.trainable);
        stages.push(new BidirectionalStage(stage(wrapper.forwardLayer), stage(wrapper.backwardLayer)));
        masked = false; // last outputs only: tfjs passes no mask on
        break;
      }
      default:
        return `layer '${layer.name}' (${kind}) has no compiled form`;
    }
  }
  return { stages, head };
}

const RECURRENT_KIND: Record<string, RecurrentCell> = { SimpleRNN: 'simpleRnn', LSTM: 'lstm', GRU: 'gru' };

/** Why a fused recurrent layer's call would not take its fused path, or null when it would. */
function recurrentRefusal(layer: tf.layers.Layer): string | null {
  const view = layer as FusedLayerView;
  if (view.stateful || view.returnState) return `layer '${layer.name}' is stateful or returns its state`;
  const { activation, recurrentActivation } = recurrentCellActivations(view);
  const codes = [activation, recurrentActivation].map(activationCode);
  if (codes.includes(undefined)) return `layer '${layer.name}' has an activation the fused recurrent pass lacks`;
  return null;
}

function convRefusal(layer: tf.layers.Layer): string | null {
  const config = layer.getConfig() as Config;
  const why = refusal(layer, config);
  if (why !== null) return why;
  if (config['padding'] !== 'valid' || one(config['strides']) !== 1 || (one(config['dilationRate']) ?? 1) !== 1) {
    return `layer '${layer.name}' (Conv1D) is not valid-padded with stride 1 and no dilation`;
  }
  return null;
}
