// What an interrupted run needs to go on as if it never stopped: the weights, the optimizer's
// slots and iteration count, and the position of every random stream training draws from.
// The shuffles need no saving: `train` draws each epoch's from (seed, epoch number), so
// `initialEpoch` alone puts them back.

import { nestedLayers, optimizerBetaPowers } from '@seqlearn/backend/internals';
import { tf } from './tf.js';
import { dropoutStreamState, setDropoutStreamState, type FusedLayerView } from './layers/fused-recurrent-call.js';

/** A training run's state after `epoch` finished epochs; pass `epoch` to `train` as `initialEpoch`. */
export interface TrainingSnapshot {
  epoch: number;
  /** Copies of the model's weights, in `model.getWeights()` order. */
  weights: tf.Tensor[];
  /** Copies of the optimizer's weights (iterations first, then slots), as `optimizer.getWeights()`. */
  optimizer: Array<{ name: string; tensor: tf.Tensor }>;
  /** Position of each fused recurrent layer's dropout-mask stream, by layer name. */
  dropoutStreams: Record<string, number>;
  /**
   * Adam's running powers of beta1 and beta2: tfjs's setWeights recomputes them with pow(),
   * which differs in the last bits from the product the optimizer had kept.
   */
  optimizerScalars: Record<string, number>;
}

function optimizerScalarVariables(optimizer: tf.Optimizer | undefined): Record<string, tf.Variable> {
  return optimizer === undefined ? {} : optimizerBetaPowers(optimizer);
}

/** Every layer, those inside Bidirectional and other wrappers included. */
function allLayers(layers: readonly tf.layers.Layer[]): tf.layers.Layer[] {
  const out: tf.layers.Layer[] = [];
  for (const layer of layers) {
    out.push(layer);
    out.push(...allLayers(nestedLayers(layer)));
  }
  return out;
}

function streamLayers(model: tf.LayersModel): FusedLayerView[] {
  return allLayers(model.layers).filter((l) => typeof (l as Partial<FusedLayerView>).seed === 'number') as FusedLayerView[];
}

/** The dropout streams' positions, by layer name (layers that have drawn no mask yet are left out). */
export function dropoutStreams(model: tf.LayersModel): Record<string, number> {
  const out: Record<string, number> = {};
  for (const layer of streamLayers(model)) {
    const s = dropoutStreamState(layer);
    if (s !== undefined) out[layer.name] = s;
  }
  return out;
}

/** Puts the dropout streams back where `dropoutStreams` found them (a layer absent there restarts its stream). */
export function restoreDropoutStreams(model: tf.LayersModel, streams: Readonly<Record<string, number>>): void {
  for (const layer of streamLayers(model)) setDropoutStreamState(layer, streams[layer.name]);
}

/** Copies the state of a model in training; free it with `disposeSnapshot`. */
export async function captureTraining(model: tf.LayersModel, epoch: number): Promise<TrainingSnapshot> {
  const weights = model.getWeights().map((w) => w.clone());
  const named = model.optimizer === undefined ? [] : await model.optimizer.getWeights();
  const scalars = Object.fromEntries(Object.entries(optimizerScalarVariables(model.optimizer)).map(([k, v]) => [k, v.dataSync()[0]]));
  return {
    epoch,
    weights,
    optimizer: named.map((n) => ({ name: n.name, tensor: n.tensor.clone() })),
    dropoutStreams: dropoutStreams(model),
    optimizerScalars: scalars,
  };
}

/**
 * Puts a snapshot into a model of the same architecture (built afresh, compiled with the same
 * optimizer), so that `train(model, data, { initialEpoch: snapshot.epoch, seed })` goes on as
 * the interrupted run would have.
 */
export async function restoreTraining(model: tf.LayersModel, snapshot: TrainingSnapshot): Promise<void> {
  model.setWeights(snapshot.weights);
  if (model.optimizer !== undefined && snapshot.optimizer.length > 0) {
    // tfjs's optimizers copy what they are given into variables of their own.
    await model.optimizer.setWeights(snapshot.optimizer);
    for (const [name, variable] of Object.entries(optimizerScalarVariables(model.optimizer))) {
      const value = snapshot.optimizerScalars[name];
      if (value !== undefined) tf.tidy(() => variable.assign(tf.scalar(value)));
    }
  }
  restoreDropoutStreams(model, snapshot.dropoutStreams);
}

export function disposeSnapshot(snapshot: TrainingSnapshot): void {
  tf.dispose([...snapshot.weights, ...snapshot.optimizer.map((n) => n.tensor)]);
}
