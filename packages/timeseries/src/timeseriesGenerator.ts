import { createRng } from '@seqlearn/dataset';
import { SeriesInputError, WindowConfigError } from './errors.js';
import { BatchBuffers, samplesShape, WindowReader } from './gather.js';
import { mixSeed, requireNonNegativeInt, requirePositiveInt } from './options.js';
import { checkFiniteTargets, resolveSeries, resolveTargets, type Series, type SeriesSelection, type Targets } from './series.js';
import type { SeriesInput, TargetsInput, WindowBatch, WindowMemoryOptions } from './types.js';

export interface TimeseriesGeneratorOptions extends SeriesSelection, WindowMemoryOptions {
  /** Length of the window each sample is drawn from, in rows (Keras's `length`). */
  length: number;
  /** Period between the timesteps of a sample (default 1). */
  samplingRate?: number;
  /** Period between successive samples (default 1). */
  stride?: number;
  /** First row a window may start at (default 0). */
  startIndex?: number;
  /** Last row that may be a sample's target row, inclusive (default: the last row). */
  endIndex?: number | null;
  /** Draw each batch's rows at random, with replacement (default false). */
  shuffle?: boolean;
  /** Samples reversed in time (default false). */
  reverse?: boolean;
  batchSize?: number;
  /** Seed of the draws when shuffling (default 0). Batch `i` of epoch `e` always draws the same rows. */
  seed?: number;
}

/**
 * Keras's `TimeseriesGenerator`: a random-access sequence of `[samples, targets]` batches.
 * Sample `row` is `data[row - length : row : samplingRate]`, its target `targets[row]`,
 * for rows `startIndex + length … endIndex` taken `stride` apart. `length` (the property)
 * is the number of batches, as `len()` is in Keras; the window length is `windowLength`.
 */
export class TimeseriesGenerator implements Iterable<WindowBatch> {
  /** Number of batches (Keras `__len__`). */
  readonly length: number;
  /** The `length` option: rows each window spans. */
  readonly windowLength: number;
  readonly samplingRate: number;
  readonly stride: number;
  /** First target row: `startIndex + length`, as Keras stores it. */
  readonly startIndex: number;
  readonly endIndex: number;
  readonly shuffle: boolean;
  readonly reverse: boolean;
  readonly batchSize: number;
  /** Timesteps per sample: `ceil(length / samplingRate)`. */
  readonly timesteps: number;

  private readonly series: Series;
  private readonly targets: Targets;
  private readonly reader: WindowReader;
  private readonly buffers: BatchBuffers;
  private readonly seed: number;
  private epoch = 0;

  constructor(data: SeriesInput, targets: TargetsInput, options: TimeseriesGeneratorOptions) {
    this.series = resolveSeries(data, options);
    this.targets = resolveTargets(targets);
    const rows = this.series.rows;
    if (this.targets.rows !== rows) {
      throw new SeriesInputError(`data and targets must be the same length: data has ${rows} rows, targets ${this.targets.rows}`);
    }
    this.windowLength = requirePositiveInt('length', options.length);
    this.samplingRate = requirePositiveInt('samplingRate', options.samplingRate ?? 1);
    this.stride = requirePositiveInt('stride', options.stride ?? 1);
    this.batchSize = requirePositiveInt('batchSize', options.batchSize ?? 128);
    const startIndex = requireNonNegativeInt('startIndex', options.startIndex ?? 0);
    const endIndex = options.endIndex ?? rows - 1;
    requireNonNegativeInt('endIndex', endIndex);
    if (endIndex > rows - 1) {
      throw new WindowConfigError('endIndex', `endIndex (${endIndex}) is past the last row (${rows - 1})`);
    }
    if (this.windowLength >= rows) {
      throw new WindowConfigError('length', `length (${this.windowLength}) must be smaller than the series' ${rows} rows`);
    }
    this.startIndex = startIndex + this.windowLength;
    if (this.startIndex > endIndex) {
      throw new WindowConfigError(
        'startIndex',
        `startIndex + length = ${this.startIndex} > endIndex = ${endIndex} is disallowed, as no part of the sequence would be left to be used as current step`,
      );
    }
    this.endIndex = endIndex;
    this.shuffle = options.shuffle ?? false;
    this.reverse = options.reverse ?? false;
    this.seed = options.seed ?? 0;
    this.timesteps = Math.ceil(this.windowLength / this.samplingRate);
    const span = this.batchSize * this.stride;
    this.length = Math.floor((this.endIndex - this.startIndex + span) / span);
    checkFiniteTargets(this.targets, this.startIndex, endIndex + 1);
    // Windows of target rows startIndex+length … endIndex read rows startIndex … endIndex-1.
    this.reader = new WindowReader(
      this.series,
      this.samplingRate,
      startIndex,
      endIndex - 1,
      (options.contiguousWindows ?? true) && this.shuffle,
    );
    this.buffers = new BatchBuffers(options.reuseBuffers ?? false);
  }

  /** Batch `index` (0 ≤ index < length). Shuffled batches depend only on (seed, epoch, index). */
  getItem(index: number): WindowBatch {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) {
      throw new WindowConfigError('index', `batch index ${index} is out of range: the generator has ${this.length} batches`);
    }
    let rows: Int32Array;
    if (this.shuffle) {
      const rng = createRng(mixSeed(this.seed, this.epoch, index));
      const span = this.endIndex + 1 - this.startIndex;
      rows = new Int32Array(this.batchSize);
      for (let j = 0; j < rows.length; j++) rows[j] = this.startIndex + rng.nextInt(span);
    } else {
      const i = this.startIndex + this.batchSize * this.stride * index;
      const end = Math.min(i + this.batchSize * this.stride, this.endIndex + 1);
      rows = new Int32Array(Math.ceil((end - i) / this.stride));
      for (let j = 0; j < rows.length; j++) rows[j] = i + j * this.stride;
    }
    const n = rows.length;
    const starts = new Int32Array(n);
    for (let j = 0; j < n; j++) starts[j] = rows[j] - this.windowLength;
    const { values, width, rowShape } = this.targets;
    const [samples, targets] = this.buffers.get(n * this.timesteps * this.series.features, n * width);
    if (this.shuffle) this.reader.gather(starts, n, this.timesteps, this.reverse, samples);
    else if (n > 0) this.reader.gatherEvenlySpaced(starts[0], this.stride, n, this.timesteps, this.reverse, samples);
    for (let j = 0; j < n; j++) {
      const from = rows[j] * width;
      for (let k = 0; k < width; k++) targets[j * width + k] = values[from + k];
    }
    return [
      { values: samples, shape: samplesShape(this.series, n, this.timesteps) },
      { values: targets, shape: [n, ...rowShape] },
    ];
  }

  /** Keras `on_epoch_end`: the next epoch's shuffled batches draw new rows. */
  onEpochEnd(): void {
    this.epoch++;
  }

  /** Every batch, in index order (one epoch). */
  *[Symbol.iterator](): Iterator<WindowBatch> {
    for (let i = 0; i < this.length; i++) yield this.getItem(i);
  }
}
