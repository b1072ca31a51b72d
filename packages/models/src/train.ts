import { initBackend } from '@seqlearn/backend';
import { tf } from './tf.js';
import { EmptyDatasetError, ModelConfigError } from './errors.js';
import type { TrainCallback, TrainState } from './callbacks.js';
import { modelSignature, type ModelSignature } from './data/check.js';
import { checkedTableArrays, isTable, makeFeed, type Feed } from './data/feed.js';
import type { HostBatch, ModelData } from './data/types.js';
import { appendEpoch, type History, type Logs } from './history.js';
import { compileTrainStep, trainStepSupport, type CompiledTrainStep } from './step/compiled-step.js';

export interface TrainOptions {
  epochs?: number;
  /** Rows a batch for tables (Keras default 32). Generators bring their own batch size. */
  batchSize?: number;
  /** Held-out data evaluated after each epoch: a table or a generator. */
  validation?: ModelData;
  /** Tables only: hold out the last fraction of rows, before shuffling, as Keras does. */
  validationSplit?: number;
  /** Batches an epoch for generators (required for endless ones such as bookGenerator). */
  stepsPerEpoch?: number;
  /** Batches a validation pass for generators. */
  validationSteps?: number;
  /** Reshuffle the training rows (or an indexed generator's batches) each epoch. Default true. */
  shuffle?: boolean;
  /** Seed of the per-epoch shuffles. Default 0. */
  seed?: number;
  callbacks?: TrainCallback[];
  /**
   * Run each batch through a compiled training step (`compileTrainStep`) instead of tfjs-layers'
   * `trainOnBatch`: same math and the same variables, without an op per layer. By default
   * it is used whenever `trainStepSupport` accepts the model; `false` always uses
   * `trainOnBatch`; `true` fails on a model the compiled step does not support.
   */
  compiledStep?: boolean;
}

function epochSeed(seed: number, epoch: number): number {
  return (Math.imul(seed >>> 0, 0x9e3779b1) + epoch * 0x85ebca6b) >>> 0;
}

function requireCompiled(model: tf.LayersModel, where: string): string[] {
  const names: string[] | undefined = model.metricsNames;
  if (model.optimizer == null || names === undefined || names.length === 0) {
    throw new ModelConfigError(`${where}: the model is not compiled; build it with a zoo builder or call model.compile first`);
  }
  return names;
}

/** The compiled step `train` runs, or undefined for trainOnBatch (see TrainOptions.compiledStep). */
function chooseStep(model: tf.LayersModel, wanted: boolean | undefined, where: string): CompiledTrainStep | undefined {
  if (wanted === false) return undefined;
  const support = trainStepSupport(model);
  if (support.supported) return compileTrainStep(model);
  if (wanted === true) throw new ModelConfigError(`${where}: compiledStep is true, but ${support.reason}`);
  return undefined;
}

/** One batch through the compiled step or trainOnBatch; loss first, then metrics. */
async function trainBatch(model: tf.LayersModel, step: CompiledTrainStep | undefined, batch: HostBatch, dtype: 'int32' | 'float32'): Promise<number[]> {
  if (step !== undefined) {
    const x = dtype === 'int32' && !(batch.x instanceof Int32Array) ? Int32Array.from(batch.x) : batch.x;
    return step.run(x, batch.xShape, batch.y as Float32Array);
  }
  const [x, y] = toTensors(batch, dtype);
  try {
    const out = await model.trainOnBatch(x, y!);
    return Array.isArray(out) ? out : [out];
  } finally {
    tf.dispose([x, y].filter((t): t is tf.Tensor => t !== undefined));
  }
}

/** Host arrays to tensors: the arrays are views, tfjs's cpu backend keeps them without copying. */
function toTensors(batch: HostBatch, dtype: 'int32' | 'float32'): [tf.Tensor, tf.Tensor | undefined] {
  const x = tf.tensor(batch.x, batch.xShape, dtype);
  const y = batch.y === undefined ? undefined : tf.tensor(batch.y, batch.yShape, 'float32');
  return [x, y];
}

class MeanLogs {
  private readonly sums: number[];
  private count = 0;

  constructor(private readonly names: string[]) {
    this.sums = names.map(() => 0);
  }

  add(values: number[], size: number): void {
    values.forEach((v, i) => (this.sums[i] += v * size));
    this.count += size;
  }

  logs(prefix = ''): Logs {
    return Object.fromEntries(this.names.map((n, i) => [prefix + n, this.sums[i] / this.count]));
  }

  get empty(): boolean {
    return this.count === 0;
  }
}

/** Loss and metrics over a whole feed, weighted by batch size (as Keras's evaluate). */
async function evaluateFeed(model: tf.LayersModel, sig: ModelSignature, feed: Feed, names: string[], where: string): Promise<MeanLogs> {
  const mean = new MeanLogs(names);
  for await (const batch of feed.pass(undefined)) {
    const [x, y] = toTensors(batch, sig.dtype);
    try {
      const out = model.evaluate(x, y!, { batchSize: batch.size });
      const scalars = Array.isArray(out) ? out : [out];
      const values = scalars.map((s) => s.dataSync()[0]);
      tf.dispose(scalars);
      mean.add(values, batch.size);
    } finally {
      tf.dispose([x, y].filter((t): t is tf.Tensor => t !== undefined));
    }
  }
  if (mean.empty) throw new EmptyDatasetError(`${where}: no batches to evaluate`);
  return mean;
}

/**
 * Trains a compiled model on a table or a generator, one batch in memory at a time, with a
 * compiled training step where the model allows it and `trainOnBatch` otherwise: every
 * tensor freed, seeded shuffles, Keras's history keys.
 */
export async function train(model: tf.LayersModel, data: ModelData, opts: TrainOptions = {}): Promise<History> {
  await initBackend();
  const where = 'train';
  const names = requireCompiled(model, where);
  const epochs = opts.epochs ?? 1;
  if (!Number.isInteger(epochs) || epochs < 1) throw new ModelConfigError(`${where}: epochs must be a positive integer, got ${epochs}`);
  const batchSize = opts.batchSize ?? 32;
  const seed = opts.seed ?? 0;
  const shuffle = opts.shuffle ?? true;
  const sig = modelSignature(model);
  const step = chooseStep(model, opts.compiledStep, where);

  let trainFeed: Feed;
  let valFeed: Feed | undefined;
  const split = opts.validationSplit ?? 0;
  if (split !== 0) {
    if (!(split > 0 && split < 1)) throw new ModelConfigError(`${where}: validationSplit must be in (0, 1), got ${split}`);
    if (!isTable(data)) throw new ModelConfigError(`${where}: validationSplit needs a table; pass a validation generator instead`);
    if (opts.validation !== undefined) throw new ModelConfigError(`${where}: pass either validation or validationSplit, not both`);
    const rows = data.numRows;
    // Keras: split_at = int(n * (1 - validation_split)); the tail is held out.
    const splitAt = Math.floor(rows * (1 - split));
    if (splitAt === 0 || splitAt === rows) {
      throw new EmptyDatasetError(`${where}: validationSplit ${split} of ${rows} rows leaves ${splitAt} for training and ${rows - splitAt} for validation; both need at least one`);
    }
    const arrays = checkedTableArrays(sig, data, where, true);
    trainFeed = makeFeed(sig, arrays.table, { batchSize, end: splitAt, withLabels: true }, where);
    valFeed = makeFeed(sig, arrays.table, { batchSize, start: splitAt, withLabels: true }, `${where} (validationSplit)`);
  } else {
    trainFeed = makeFeed(sig, data, { batchSize, steps: opts.stepsPerEpoch, stepsOption: 'stepsPerEpoch', withLabels: true }, where);
    if (opts.validation !== undefined) {
      valFeed = makeFeed(sig, opts.validation, { batchSize, steps: opts.validationSteps, stepsOption: 'validationSteps', withLabels: true }, `${where} (validation)`);
    }
  }

  const history: History = {
    epoch: [],
    history: {},
    params: { epochs, steps: trainFeed.steps, seed, metrics: names, ...(trainFeed.samples === undefined ? {} : { samples: trainFeed.samples, batchSize }) },
  };
  const state: TrainState = { model, epochs, steps: trainFeed.steps, history, stopTraining: false };
  const callbacks = opts.callbacks ?? [];
  model.stopTraining = false;

  for (const cb of callbacks) await cb.onTrainBegin?.(state);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const cb of callbacks) await cb.onEpochBegin?.(epoch, state);
    const mean = new MeanLogs(names);
    let batchIndex = 0;
    for await (const batch of trainFeed.pass(shuffle ? epochSeed(seed, epoch) : undefined)) {
      const values = await trainBatch(model, step, batch, sig.dtype);
      mean.add(values, batch.size);
      const event = { epoch, batch: batchIndex, size: batch.size, logs: Object.fromEntries(names.map((n, i) => [n, values[i]])), running: mean.logs() };
      for (const cb of callbacks) await cb.onBatchEnd?.(event, state);
      batchIndex++;
    }
    if (mean.empty) throw new EmptyDatasetError(`${where}: epoch ${epoch} had no training batches`);
    let logs = mean.logs();
    if (valFeed !== undefined) logs = { ...logs, ...(await evaluateFeed(model, sig, valFeed, names, `${where} (validation)`)).logs('val_') };
    appendEpoch(history, epoch, logs);
    for (const cb of callbacks) await cb.onEpochEnd?.(epoch, logs, state);
    if (state.stopTraining || model.stopTraining) {
      history.stoppedEpoch = epoch;
      break;
    }
  }
  for (const cb of callbacks) await cb.onTrainEnd?.(state);
  return history;
}

export interface EvaluateOptions {
  batchSize?: number;
  /** Batches to read from an endless generator. */
  steps?: number;
}

/** Loss and metrics over a table or generator (keys as in the history: `loss`, `acc`, …). */
export async function evaluate(model: tf.LayersModel, data: ModelData, opts: EvaluateOptions = {}): Promise<Logs> {
  await initBackend();
  const names = requireCompiled(model, 'evaluate');
  const sig = modelSignature(model);
  const feed = makeFeed(sig, data, { batchSize: opts.batchSize ?? 32, steps: opts.steps, stepsOption: 'steps', withLabels: true }, 'evaluate');
  return (await evaluateFeed(model, sig, feed, names, 'evaluate')).logs();
}

export interface Predictions {
  /** Row-major `[rows, outputs]`. */
  values: Float32Array;
  shape: [number, number];
}

/** Model outputs for every row (or window), batch by batch. */
export async function predict(model: tf.LayersModel, data: ModelData, opts: EvaluateOptions = {}): Promise<Predictions> {
  await initBackend();
  const sig = modelSignature(model);
  const feed = makeFeed(sig, data, { batchSize: opts.batchSize ?? 32, steps: opts.steps, stepsOption: 'steps', withLabels: false }, 'predict');
  const chunks: Float32Array[] = [];
  let rows = 0;
  for await (const batch of feed.pass(undefined)) {
    const x = tf.tensor(batch.x, batch.xShape, sig.dtype);
    try {
      const out = model.predict(x) as tf.Tensor;
      chunks.push(out.dataSync() as Float32Array);
      out.dispose();
    } finally {
      x.dispose();
    }
    rows += batch.size;
  }
  if (rows === 0) throw new EmptyDatasetError('predict: no rows to predict');
  const values = new Float32Array(rows * sig.outputs);
  let at = 0;
  for (const c of chunks) {
    values.set(c, at);
    at += c.length;
  }
  return { values, shape: [rows, sig.outputs] };
}
