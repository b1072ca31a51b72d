import { BookGenerator } from './bookGenerator.js';
import { SeriesInputError, UnknownColumnError, WindowConfigError } from './errors.js';
import type { NormalizationStats } from './normalization.js';
import { requirePositiveInt } from './options.js';
import type { WindowBatch } from './types.js';

export interface BaselineOptions {
  /** Batches to average over (the book's `val_steps`). */
  valSteps: number;
  /** Index of the target among the sample features (default: the generator's, else 1 as in the book). */
  targetColumn?: number;
  /** Std of the target in original units; default from `normalization` or the generator's table metadata. */
  std?: number;
  /** Stats to scale the MAE back with (the target is looked up by name). */
  normalization?: NormalizationStats;
  /** Name of the target in `normalization` (default: the generator's target column). */
  targetName?: string;
  /**
   * `batches` (default) averages the batch MAEs, as listing 6.35 does; `samples` averages over
   * every sample, as Keras's `evaluate` does, so the figure compares exactly with a model's.
   */
  average?: 'batches' | 'samples';
}

export interface BaselineResult {
  /** Mean over batches of each batch's mean absolute error, in the units of the data fed (normalized). */
  mae: number;
  /** `mae × std` of the target: the error in the original units (e.g. °C), or null if no std is known. */
  maeOriginal: number | null;
  batches: number;
  samples: number;
}

type BatchSource = Iterator<WindowBatch> | Iterable<WindowBatch>;

function iteratorOf(source: BatchSource): Iterator<WindowBatch> {
  const iterable = source as Iterable<WindowBatch>;
  return typeof iterable[Symbol.iterator] === 'function' ? iterable[Symbol.iterator]() : (source as Iterator<WindowBatch>);
}

function targetIndex(source: BatchSource, options: BaselineOptions, features: number): number {
  const index = options.targetColumn ?? (source instanceof BookGenerator ? source.targetColumnIndex : 1);
  if (!Number.isInteger(index) || index < 0 || index >= features) {
    throw new UnknownColumnError(
      index,
      Array.from({ length: features }, (_, i) => String(i)),
      'target column',
    );
  }
  return index;
}

function targetStd(source: BatchSource, options: BaselineOptions, index: number): number | null {
  if (options.std !== undefined) return options.std;
  const book = source instanceof BookGenerator ? source : null;
  const stats = options.normalization ?? book?.normalization;
  if (!stats) return null;
  const name = options.targetName ?? book?.columns[index] ?? String(index);
  const k = stats.columns.indexOf(name);
  if (k < 0) throw new UnknownColumnError(name, stats.columns, 'normalized target column');
  return stats.std[k];
}

/**
 * Averages, over `valSteps` batches, the batch MAE of `predict(samples)` against the
 * targets, exactly as listing 6.35 averages its batch MAEs.
 */
function evaluate(source: BatchSource, options: BaselineOptions, timestepOf: (timesteps: number) => number): BaselineResult {
  const valSteps = requirePositiveInt('valSteps', options.valSteps);
  const iterator = iteratorOf(source);
  let sumOfMaes = 0;
  let sumOfErrors = 0;
  let samples = 0;
  let index = -1;
  for (let step = 0; step < valSteps; step++) {
    const next = iterator.next();
    if (next.done) throw new SeriesInputError(`the generator ended after ${step} batches; valSteps is ${valSteps}`);
    const [x, y] = next.value;
    if (x.shape.length !== 3) throw new SeriesInputError(`samples must be [batch, timesteps, features], got [${x.shape.join(', ')}]`);
    const [n, timesteps, features] = x.shape;
    if (index < 0) index = targetIndex(source, options, features);
    const t = timestepOf(timesteps);
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const pred = x.values[(j * timesteps + t) * features + index];
      sum += Math.abs(pred - y.values[j]);
    }
    sumOfMaes += sum / n;
    sumOfErrors += sum;
    samples += n;
  }
  const mae = options.average === 'samples' ? sumOfErrors / samples : sumOfMaes / valSteps;
  const std = targetStd(source, options, index);
  return { mae, maeOriginal: std === null ? null : mae * std, batches: valSteps, samples };
}

export interface NaiveOptions extends BaselineOptions {
  /** Samples are reversed in time, so the latest value is the first (default: the generator's `reverse`). */
  reverse?: boolean;
}

/**
 * The book's common-sense baseline (listing 6.35): predict that the target equals the
 * last value in the window, `samples[:, -1, target]` (`samples[:, 0, target]` for a
 * generator that reverses its samples).
 */
export function evaluateNaiveMethod(source: BatchSource, options: NaiveOptions): BaselineResult {
  const reverse = options.reverse ?? (source instanceof BookGenerator ? source.reverse : false);
  return evaluate(source, options, (timesteps) => (reverse ? 0 : timesteps - 1));
}

export interface SeasonalNaiveOptions extends BaselineOptions {
  /** Season length in rows (24 for a daily cycle in hourly data). */
  period: number;
  /** Window geometry; taken from a BookGenerator, required otherwise. */
  lookback?: number;
  step?: number;
  delay?: number;
  reverse?: boolean;
}

/**
 * Seasonal naive: predict that the target equals the value one period before it. When
 * that row is not in the window yet (period ≤ delay), whole periods are stepped back
 * to the latest row of the same season the window holds.
 */
export function evaluateSeasonalNaive(source: BatchSource, options: SeasonalNaiveOptions): BaselineResult {
  const period = requirePositiveInt('period', options.period);
  const book = source instanceof BookGenerator ? source : null;
  const lookback = options.lookback ?? book?.lookback;
  const step = options.step ?? book?.step;
  const delay = options.delay ?? book?.delay;
  const reverse = options.reverse ?? book?.reverse ?? false;
  if (lookback === undefined || step === undefined || delay === undefined) {
    throw new WindowConfigError(
      'lookback',
      'evaluateSeasonalNaive needs lookback, step and delay for a source that is not a bookGenerator',
    );
  }
  // The target is `lookback + delay` rows after the window's first row; timestep t is row t*step.
  const targetOffset = lookback + delay;
  const lastOffset = lookback - step;
  let offset = -1;
  for (let m = Math.max(1, Math.ceil((targetOffset - lastOffset) / period)); targetOffset - m * period >= 0; m++) {
    if ((targetOffset - m * period) % step === 0) {
      offset = targetOffset - m * period;
      break;
    }
  }
  if (offset < 0) {
    throw new WindowConfigError(
      'period',
      `no row a whole number of periods (${period}) before the target falls on the window's timesteps (lookback ${lookback}, step ${step}, delay ${delay})`,
    );
  }
  const t = offset / step;
  return evaluate(source, options, (timesteps) => (reverse ? timesteps - 1 - t : t));
}
