import { initBackend } from '@seqlearn/backend';
import { tf } from './tf.js';
import { EmptyDatasetError, ModelConfigError } from './errors.js';
import type { TrainCallback, TrainState } from './callbacks.js';
import { modelSignature, type ModelSignature } from './data/check.js';
import { checkedTableArrays, isTable, makeFeed, type Feed, type TableArrays } from './data/feed.js';
import type { HostBatch, ModelData } from './data/types.js';
import { appendEpoch, type History, type Logs } from './history.js';
import { compileTrainStep, trainStepSupport, type CompiledTrainStep } from './step/compiled-step.js';
import { batchClassWeights, requireClassifier, resolveClassWeight, rowWeights, type ClassWeight } from './sample-weights.js';
import { weightedTrainOnBatch } from './weighted-train-on-batch.js';

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
   * Keras's `initial_epoch`: the 0-based epoch to start at, for resuming a run (restore the
   * weights, the optimizer and the dropout streams first: see `restoreTrainingState`). Epochs
   * run from `initialEpoch` to `epochs - 1`, each with the shuffle of its own number, so a
   * resumed run sees the batches the uninterrupted one would have.
   */
  initialEpoch?: number;
  /**
   * Keras's `class_weight`: a weight per class index multiplying each training row's loss, or
   * `'balanced'` (scikit-learn's n_samples / (n_classes · count), over the training rows).
   * Classifiers only; validation is unweighted, as in Keras.
   */
  classWeight?: ClassWeight;
  /**
   * Keras's `sample_weight` for a table: one weight per table row (validationSplit's held-out
   * rows included, and ignored), multiplied by the class weight when both are given.
   */
  sampleWeight?: ArrayLike<number>;
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
async function trainBatch(
  model: tf.LayersModel,
  step: CompiledTrainStep | undefined,
  batch: HostBatch,
  dtype: 'int32' | 'float32',
): Promise<number[]> {
  if (step !== undefined) {
    const x = dtype === 'int32' && !(batch.x instanceof Int32Array) ? Int32Array.from(batch.x) : batch.x;
    return step.run(x, batch.xShape, batch.y as Float32Array, batch.w);
  }
  const [x, y] = toTensors(batch, dtype);
  try {
    if (batch.w !== undefined) return weightedTrainOnBatch(model, x, y!, batch.w);
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

/** The training rows' weights for a table, or undefined when training is unweighted. */
function tableWeights(arrays: TableArrays, start: number, end: number, opts: TrainOptions, where: string): Float32Array | undefined {
  if (opts.classWeight === undefined && opts.sampleWeight === undefined) return undefined;
  const labels = arrays.label!.values as ArrayLike<number>;
  const trainLabels = Array.prototype.slice.call(labels, start, end) as number[];
  const classWeight = opts.classWeight === undefined ? undefined : resolveClassWeight(opts.classWeight, trainLabels, where);
  const weights = rowWeights(
    arrays.rows,
    { sampleWeight: opts.sampleWeight, classWeight, labels: Array.prototype.slice.call(labels, 0, end) as number[] },
    where,
  );
  return weights;
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
  const initialEpoch = opts.initialEpoch ?? 0;
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0 || initialEpoch >= epochs) {
    throw new ModelConfigError(`${where}: initialEpoch must be an integer in [0, epochs), got ${initialEpoch} with epochs ${epochs}`);
  }
  if (opts.classWeight !== undefined) requireClassifier(sig.head, where);
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
      throw new EmptyDatasetError(
        `${where}: validationSplit ${split} of ${rows} rows leaves ${splitAt} for training and ${rows - splitAt} for validation; both need at least one`,
      );
    }
    const arrays = checkedTableArrays(sig, data, where, true);
    const weights = tableWeights(arrays, 0, splitAt, opts, where);
    trainFeed = makeFeed(sig, arrays, { batchSize, end: splitAt, withLabels: true, weights }, where);
    valFeed = makeFeed(sig, arrays, { batchSize, start: splitAt, withLabels: true }, `${where} (validationSplit)`);
  } else if (isTable(data)) {
    const arrays = checkedTableArrays(sig, data, where, true);
    const weights = tableWeights(arrays, 0, arrays.rows, opts, where);
    trainFeed = makeFeed(sig, arrays, { batchSize, withLabels: true, weights }, where);
    if (opts.validation !== undefined) {
      valFeed = makeFeed(
        sig,
        opts.validation,
        { batchSize, steps: opts.validationSteps, stepsOption: 'validationSteps', withLabels: true },
        `${where} (validation)`,
      );
    }
  } else {
    if (opts.sampleWeight !== undefined)
      throw new ModelConfigError(`${where}: sampleWeight needs a table; a generator's rows have no fixed positions to weight`);
    trainFeed = makeFeed(sig, data, { batchSize, steps: opts.stepsPerEpoch, stepsOption: 'stepsPerEpoch', withLabels: true }, where);
    if (opts.validation !== undefined) {
      valFeed = makeFeed(
        sig,
        opts.validation,
        { batchSize, steps: opts.validationSteps, stepsOption: 'validationSteps', withLabels: true },
        `${where} (validation)`,
      );
    }
  }

  const history: History = {
    epoch: [],
    history: {},
    params: {
      epochs,
      steps: trainFeed.steps,
      seed,
      metrics: names,
      ...(trainFeed.samples === undefined ? {} : { samples: trainFeed.samples, batchSize }),
    },
  };
  const state: TrainState = { model, epochs, steps: trainFeed.steps, history, stopTraining: false };
  // A generator's labels arrive batch by batch, so its class weights are looked up per batch.
  const generatorClassWeight =
    !isTable(data) && opts.classWeight !== undefined ? resolveClassWeight(opts.classWeight, undefined, where) : undefined;
  const callbacks = opts.callbacks ?? [];
  model.stopTraining = false;

  for (const cb of callbacks) await cb.onTrainBegin?.(state);
  for (let epoch = initialEpoch; epoch < epochs; epoch++) {
    for (const cb of callbacks) await cb.onEpochBegin?.(epoch, state);
    const mean = new MeanLogs(names);
    let batchIndex = 0;
    for await (const batch of trainFeed.pass(shuffle ? epochSeed(seed, epoch) : undefined)) {
      if (generatorClassWeight !== undefined && batch.y !== undefined) batch.w = batchClassWeights(batch.y, generatorClassWeight);
      const values = await trainBatch(model, step, batch, sig.dtype);
      mean.add(values, batch.size);
      const event = {
        epoch,
        batch: batchIndex,
        size: batch.size,
        logs: Object.fromEntries(names.map((n, i) => [n, values[i]])),
        running: mean.logs(),
      };
      for (const cb of callbacks) await cb.onBatchEnd?.(event, state);
      batchIndex++;
    }
    if (mean.empty) throw new EmptyDatasetError(`${where}: epoch ${epoch} had no training batches`);
    let logs = mean.logs();
    for (const cb of callbacks) if (cb.epochLogs !== undefined) logs = { ...logs, ...cb.epochLogs(epoch, state) };
    if (valFeed !== undefined)
      logs = { ...logs, ...(await evaluateFeed(model, sig, valFeed, names, `${where} (validation)`)).logs('val_') };
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
  const feed = makeFeed(
    sig,
    data,
    { batchSize: opts.batchSize ?? 32, steps: opts.steps, stepsOption: 'steps', withLabels: true },
    'evaluate',
  );
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
  const feed = makeFeed(
    sig,
    data,
    { batchSize: opts.batchSize ?? 32, steps: opts.steps, stepsOption: 'steps', withLabels: false },
    'predict',
  );
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
