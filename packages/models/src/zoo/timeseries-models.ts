import { tf } from '../tf.js';
import {
  DEFAULT_RECURRENT_IMPL,
  InitFactory,
  compileFor,
  requirePositiveInt,
  requireRate,
  type CommonOptions,
  type CompileDefaults,
} from './common.js';
import { recurrentLayer } from './recurrent.js';
import { fusedBidirectional } from '../layers/fused-bidirectional.js';

/** Options shared by the forecasting models: windows of `timesteps × features`, one value out. */
export interface TimeseriesModelOptions extends CommonOptions {
  /** Features per timestep. The book's Jena data has 14. */
  features?: number;
  /** Timesteps per window; `null` accepts any length (all but the dense model). */
  timesteps?: number | null;
}

export interface RecurrentTimeseriesOptions extends TimeseriesModelOptions {
  units?: number;
  dropout?: number;
  recurrentDropout?: number;
  /** Keras's `reset_after` for the GRUs (tf.keras 2's default). Default false, as in the book and tfjs. */
  resetAfter?: boolean;
}

const RMSPROP: CompileDefaults = { optimizer: 'rmsprop', learningRate: 0.001 };

function inputShape(opts: TimeseriesModelOptions, timestepsDefault: number | null): (number | null)[] {
  const features = requirePositiveInt('features', opts.features ?? 14);
  const timesteps = opts.timesteps === undefined ? timestepsDefault : opts.timesteps;
  if (timesteps !== null) requirePositiveInt('timesteps', timesteps);
  return [timesteps, features];
}

function regressionHead(init: InitFactory): tf.layers.Layer {
  return tf.layers.dense({ units: 1, kernelInitializer: init.glorotUniform(), name: 'head' });
}

function finish(name: string, layers: tf.layers.Layer[], opts: CommonOptions): tf.Sequential {
  const model = tf.sequential({ name, layers });
  compileFor(model, 'regression', opts, RMSPROP);
  return model;
}

/** Listing 6.37: Flatten(input (240, 14)) → Dense(32, relu) → Dense(1), rmsprop, MAE. */
export function denseTimeseries(opts: TimeseriesModelOptions & { hiddenUnits?: number } = {}): tf.Sequential {
  const init = new InitFactory(opts.seed);
  // Flatten needs a fixed window: the book's lookback 1440 / step 6 = 240.
  const shape = inputShape(opts, 240);
  if (shape[0] === null) shape[0] = 240;
  return finish(
    'denseTimeseries',
    [
      tf.layers.flatten({ inputShape: shape as number[] }),
      tf.layers.dense({ units: opts.hiddenUnits ?? 32, activation: 'relu', kernelInitializer: init.glorotUniform() }),
      regressionHead(init),
    ],
    opts,
  );
}

function singleGru(name: string, opts: RecurrentTimeseriesOptions, dropoutDefault: number, bidirectional: boolean): tf.Sequential {
  const init = new InitFactory(opts.seed);
  const shape = inputShape(opts, null);
  const spec = {
    units: requirePositiveInt('units', opts.units ?? 32),
    dropout: requireRate('dropout', opts.dropout ?? dropoutDefault),
    recurrentDropout: requireRate('recurrentDropout', opts.recurrentDropout ?? dropoutDefault),
    resetAfter: opts.resetAfter,
  };
  const layers: tf.layers.Layer[] = [];
  if (bidirectional) {
    const rnn = recurrentLayer('gru', spec, opts.recurrentImpl ?? DEFAULT_RECURRENT_IMPL, init) as tf.RNN;
    layers.push(
      fusedBidirectional({ layer: rnn, mergeMode: 'concat', inputShape: shape } as Parameters<typeof tf.layers.bidirectional>[0]),
    );
  } else {
    layers.push(recurrentLayer('gru', { ...spec, inputShape: shape }, opts.recurrentImpl ?? DEFAULT_RECURRENT_IMPL, init));
  }
  layers.push(regressionHead(init));
  return finish(name, layers, opts);
}

/** Listing 6.39: GRU(32, input (None, 14)) → Dense(1), rmsprop, MAE. */
export function gruTimeseries(opts: RecurrentTimeseriesOptions = {}): tf.Sequential {
  return singleGru('gruTimeseries', opts, 0, false);
}

/** Listing 6.40: GRU(32, dropout=0.2, recurrent_dropout=0.2) → Dense(1). */
export function gruDropoutTimeseries(opts: RecurrentTimeseriesOptions = {}): tf.Sequential {
  return singleGru('gruDropoutTimeseries', opts, 0.2, false);
}

/** Listing 6.44: Bidirectional(GRU(32)) → Dense(1). */
export function bidirectionalGruTimeseries(opts: RecurrentTimeseriesOptions = {}): tf.Sequential {
  return singleGru('bidirectionalGruTimeseries', opts, 0, true);
}

export interface StackedGruTimeseriesOptions extends RecurrentTimeseriesOptions {
  /** Units of the second GRU (the book: 64, relu). */
  secondUnits?: number;
}

/**
 * Listing 6.41: GRU(32, dropout=0.1, recurrent_dropout=0.5, return_sequences=True)
 * → GRU(64, activation='relu', dropout=0.1, recurrent_dropout=0.5) → Dense(1).
 */
export function stackedGruTimeseries(opts: StackedGruTimeseriesOptions = {}): tf.Sequential {
  const init = new InitFactory(opts.seed);
  const impl = opts.recurrentImpl ?? DEFAULT_RECURRENT_IMPL;
  const dropout = requireRate('dropout', opts.dropout ?? 0.1);
  const recurrentDropout = requireRate('recurrentDropout', opts.recurrentDropout ?? 0.5);
  return finish(
    'stackedGruTimeseries',
    [
      recurrentLayer(
        'gru',
        {
          units: requirePositiveInt('units', opts.units ?? 32),
          dropout,
          recurrentDropout,
          returnSequences: true,
          inputShape: inputShape(opts, null),
          resetAfter: opts.resetAfter,
        },
        impl,
        init,
      ),
      recurrentLayer(
        'gru',
        {
          units: requirePositiveInt('secondUnits', opts.secondUnits ?? 64),
          activation: 'relu',
          dropout,
          recurrentDropout,
          resetAfter: opts.resetAfter,
        },
        impl,
        init,
      ),
      regressionHead(init),
    ],
    opts,
  );
}

export interface ConvTimeseriesOptions extends TimeseriesModelOptions {
  filters?: number;
  kernelSize?: number;
  poolSize?: number;
}

function conv(filters: number, kernelSize: number, init: InitFactory, shape?: (number | null)[]): tf.layers.Layer {
  return tf.layers.conv1d({
    filters,
    kernelSize,
    activation: 'relu',
    kernelInitializer: init.glorotUniform(),
    ...(shape === undefined ? {} : { inputShape: shape }),
  });
}

/**
 * Listing 6.47: Conv1D(32, 5, relu) → MaxPooling1D(3) → Conv1D(32, 5, relu) → MaxPooling1D(3)
 * → Conv1D(32, 5, relu) → GlobalMaxPooling1D → Dense(1).
 */
export function conv1dTimeseries(opts: ConvTimeseriesOptions = {}): tf.Sequential {
  const init = new InitFactory(opts.seed);
  const filters = requirePositiveInt('filters', opts.filters ?? 32);
  const kernelSize = requirePositiveInt('kernelSize', opts.kernelSize ?? 5);
  const poolSize = requirePositiveInt('poolSize', opts.poolSize ?? 3);
  return finish(
    'conv1dTimeseries',
    [
      conv(filters, kernelSize, init, inputShape(opts, null)),
      tf.layers.maxPooling1d({ poolSize }),
      conv(filters, kernelSize, init),
      tf.layers.maxPooling1d({ poolSize }),
      conv(filters, kernelSize, init),
      tf.layers.globalMaxPooling1d(),
      regressionHead(init),
    ],
    opts,
  );
}

export interface ConvGruTimeseriesOptions extends ConvTimeseriesOptions {
  units?: number;
  dropout?: number;
  recurrentDropout?: number;
  /** Keras's `reset_after` for the GRU (tf.keras 2's default). Default false, as in the book and tfjs. */
  resetAfter?: boolean;
}

/**
 * Listing 6.49: Conv1D(32, 5, relu) → MaxPooling1D(3) → Conv1D(32, 5, relu)
 * → GRU(32, dropout=0.1, recurrent_dropout=0.5) → Dense(1).
 */
export function convGruTimeseries(opts: ConvGruTimeseriesOptions = {}): tf.Sequential {
  const init = new InitFactory(opts.seed);
  const filters = requirePositiveInt('filters', opts.filters ?? 32);
  const kernelSize = requirePositiveInt('kernelSize', opts.kernelSize ?? 5);
  const poolSize = requirePositiveInt('poolSize', opts.poolSize ?? 3);
  return finish(
    'convGruTimeseries',
    [
      conv(filters, kernelSize, init, inputShape(opts, null)),
      tf.layers.maxPooling1d({ poolSize }),
      conv(filters, kernelSize, init),
      recurrentLayer(
        'gru',
        {
          units: requirePositiveInt('units', opts.units ?? 32),
          dropout: requireRate('dropout', opts.dropout ?? 0.1),
          recurrentDropout: requireRate('recurrentDropout', opts.recurrentDropout ?? 0.5),
          resetAfter: opts.resetAfter,
        },
        opts.recurrentImpl ?? DEFAULT_RECURRENT_IMPL,
        init,
      ),
      regressionHead(init),
    ],
    opts,
  );
}
