import { shuffledIndices } from '@seqlearn/dataset';
import { SeriesInputError, WindowConfigError } from './errors.js';
import { BatchBuffers, samplesShape, WindowReader } from './gather.js';
import { mixSeed, requireNonNegativeInt, requirePositiveInt } from './options.js';
import { checkFiniteTargets, resolveSeries, resolveTargets, type Series, type SeriesSelection, type Targets } from './series.js';
import type { SeriesInput, ShapedArray, TargetsInput, WindowBatch, WindowMemoryOptions } from './types.js';

export interface TimeseriesDatasetOptions extends SeriesSelection, WindowMemoryOptions {
  /** Timesteps per sample. */
  sequenceLength: number;
  /** Period between the first rows of successive samples (default 1). */
  sequenceStride?: number;
  /** Period between the timesteps of a sample (default 1). */
  samplingRate?: number;
  /** Samples per batch (default 128); `null` yields single samples, unbatched. */
  batchSize?: number | null;
  /** Visit the samples in a seeded random order, a new one each epoch (default false). */
  shuffle?: boolean;
  seed?: number;
  /** Rows before this one are not used (default 0). */
  startIndex?: number | null;
  /** Rows from this one on are not used, exclusive (default: all rows). */
  endIndex?: number | null;
}

/**
 * The windows of Keras 3's `timeseries_dataset_from_array`, as a re-iterable dataset:
 * each `for … of` is one epoch. With targets it yields `[samples, targets]`, without
 * (`null`) just samples.
 */
export class WindowDataset<T extends WindowBatch | ShapedArray> implements Iterable<T> {
  /** Number of samples (start positions). */
  readonly numSamples: number;
  /** Number of items an epoch yields: batches, or samples when unbatched. */
  readonly length: number;
  readonly sequenceLength: number;
  readonly sequenceStride: number;
  readonly samplingRate: number;
  readonly batchSize: number | null;
  readonly shuffle: boolean;
  readonly startIndex: number;
  readonly endIndex: number;

  private readonly series: Series;
  private readonly targets: Targets | null;
  private readonly reader: WindowReader;
  private readonly buffers: BatchBuffers;
  private readonly seed: number;
  private epoch = 0;

  constructor(data: SeriesInput, targets: TargetsInput | null, options: TimeseriesDatasetOptions) {
    this.series = resolveSeries(data, options);
    this.targets = targets === null ? null : resolveTargets(targets);
    const rows = this.series.rows;
    this.sequenceLength = requirePositiveInt('sequenceLength', options.sequenceLength);
    this.sequenceStride = requirePositiveInt('sequenceStride', options.sequenceStride ?? 1);
    this.samplingRate = requirePositiveInt('samplingRate', options.samplingRate ?? 1);
    const batchSize = options.batchSize === undefined ? 128 : options.batchSize;
    this.batchSize = batchSize === null ? null : requirePositiveInt('batchSize', batchSize);
    this.startIndex = requireNonNegativeInt('startIndex', options.startIndex ?? 0);
    this.endIndex = requireNonNegativeInt('endIndex', options.endIndex ?? rows);
    if (this.startIndex > 0 && this.startIndex >= rows) {
      throw new WindowConfigError('startIndex', `startIndex (${this.startIndex}) must be lower than the length of the data (${rows})`);
    }
    if (this.endIndex > rows) {
      throw new WindowConfigError('endIndex', `endIndex (${this.endIndex}) is past the end of the data (${rows} rows)`);
    }
    if (this.endIndex <= this.startIndex) {
      throw new WindowConfigError('startIndex', `startIndex (${this.startIndex}) must be lower than endIndex (${this.endIndex})`);
    }
    const span = (this.sequenceLength - 1) * this.samplingRate + 1;
    let numSeqs = this.endIndex - this.startIndex - span + 1;
    if (numSeqs <= 0) {
      throw new WindowConfigError(
        'sequenceLength',
        `a window spans ${span} rows (sequenceLength ${this.sequenceLength}, samplingRate ${this.samplingRate}), more than the ${this.endIndex - this.startIndex} rows in [startIndex, endIndex)`,
      );
    }
    if (this.targets) {
      // Keras caps the count by len(targets), and reads targets[startIndex + i].
      numSeqs = Math.min(numSeqs, this.targets.rows);
      if (this.targets.rows < this.startIndex + numSeqs) {
        throw new SeriesInputError(
          `targets has ${this.targets.rows} rows; samples starting up to row ${this.startIndex + numSeqs - 1} need a target each`,
        );
      }
    }
    this.numSamples = Math.ceil(numSeqs / this.sequenceStride);
    this.length = this.batchSize === null ? this.numSamples : Math.ceil(this.numSamples / this.batchSize);
    this.shuffle = options.shuffle ?? false;
    this.seed = options.seed ?? 0;
    if (this.targets) checkFiniteTargets(this.targets, this.startIndex, this.startIndex + numSeqs);
    this.reader = new WindowReader(
      this.series,
      this.samplingRate,
      this.startIndex,
      this.endIndex - 1,
      (options.contiguousWindows ?? true) && this.shuffle,
    );
    this.buffers = new BatchBuffers(options.reuseBuffers ?? false);
  }

  /** Start rows of the samples `[from, to)` of the order epoch `epoch` visits them in. */
  private starts(permutation: Int32Array | null, from: number, to: number): Int32Array {
    const starts = new Int32Array(to - from);
    for (let k = 0; k < starts.length; k++) {
      starts[k] = this.startIndex + (permutation ? permutation[from + k] : from + k) * this.sequenceStride;
    }
    return starts;
  }

  private build(starts: Int32Array, batched: boolean): WindowBatch | ShapedArray {
    const n = starts.length;
    const width = this.targets ? this.targets.width : 0;
    const [samples, y] = this.buffers.get(n * this.sequenceLength * this.series.features, n * width);
    if (this.shuffle) this.reader.gather(starts, n, this.sequenceLength, false, samples);
    else if (n > 0) this.reader.gatherEvenlySpaced(starts[0], this.sequenceStride, n, this.sequenceLength, false, samples);
    const fullShape = samplesShape(this.series, n, this.sequenceLength);
    const x: ShapedArray = { values: samples, shape: batched ? fullShape : fullShape.slice(1) };
    if (!this.targets) return x;
    const { values, rowShape } = this.targets;
    for (let j = 0; j < n; j++) {
      const from = starts[j] * width;
      for (let k = 0; k < width; k++) y[j * width + k] = values[from + k];
    }
    return [x, { values: y, shape: batched ? [n, ...rowShape] : rowShape }];
  }

  /**
   * One epoch. Shuffled epochs each get their own order, fixed by (seed, epoch number);
   * that order is the one allocation proportional to the series (4 bytes a sample).
   */
  *[Symbol.iterator](): Iterator<T> {
    const epoch = this.epoch++;
    const permutation = this.shuffle ? shuffledIndices(this.numSamples, mixSeed(this.seed, epoch)) : null;
    const size = this.batchSize ?? 1;
    for (let from = 0; from < this.numSamples; from += size) {
      const to = Math.min(from + size, this.numSamples);
      yield this.build(this.starts(permutation, from, to), this.batchSize !== null) as T;
    }
  }
}

/**
 * Keras 3's `timeseries_dataset_from_array(data, targets, sequence_length, …)`: sample `i`
 * is rows `startIndex + i*sequenceStride + k*samplingRate` for `k < sequenceLength`, its
 * target `targets[startIndex + i*sequenceStride]`. Pass `null` targets to get samples only.
 */
export function timeseriesDatasetFromArray(
  data: SeriesInput,
  targets: TargetsInput,
  options: TimeseriesDatasetOptions,
): WindowDataset<WindowBatch>;
export function timeseriesDatasetFromArray(data: SeriesInput, targets: null, options: TimeseriesDatasetOptions): WindowDataset<ShapedArray>;
export function timeseriesDatasetFromArray(
  data: SeriesInput,
  targets: TargetsInput | null,
  options: TimeseriesDatasetOptions,
): WindowDataset<WindowBatch> | WindowDataset<ShapedArray> {
  return targets === null ? new WindowDataset<ShapedArray>(data, null, options) : new WindowDataset<WindowBatch>(data, targets, options);
}
