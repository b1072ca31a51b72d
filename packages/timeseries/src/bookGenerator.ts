import { createRng, type Rng } from '@seqlearn/dataset';
import { WindowConfigError } from './errors.js';
import { BatchBuffers, samplesShape, WindowReader } from './gather.js';
import { normalizationFromInfo, type NormalizationStats } from './normalization.js';
import { requireNonNegativeInt, requirePositiveInt } from './options.js';
import { checkFinite, resolveColumn, resolveSeries, type Series, type SeriesSelection } from './series.js';
import type { FloatArray, SeriesInput, WindowBatch, WindowMemoryOptions } from './types.js';

export interface BookGeneratorOptions extends SeriesSelection, WindowMemoryOptions {
  /** How many rows back each sample reaches. */
  lookback: number;
  /** How many rows after a sample's row its target is. */
  delay: number;
  /** First row a sample may start at (default 0). */
  minIndex?: number;
  /** Rows are drawn below this index; `null` means `rows - delay - 1`, as in the book. */
  maxIndex?: number | null;
  /** Draw rows at random, with replacement (default false: in order, wrapping around). */
  shuffle?: boolean;
  batchSize?: number;
  /** Period, in rows, between the timesteps of a sample (default 6). */
  step?: number;
  /** The feature the targets come from, by name or index (default 1, as in the book). */
  targetColumn?: number | string;
  /** Yield samples reversed in time (the book's reversed-sequence experiment). */
  reverse?: boolean;
  /** Seed of the row draws when shuffling (default 0). */
  seed?: number;
}

/**
 * The book's `generator` (listing 6.33) as an endless iterator of `[samples, targets]`:
 * samples `[batch, lookback / step, features]`, targets `[batch]` from `targetColumn`
 * `delay` rows after each sample's row. In order it walks rows `minIndex + lookback …
 * maxIndex - 1` in batches and starts over once a full batch no longer fits; shuffled it
 * draws each batch's rows uniformly with replacement. Memory is one batch.
 */
export class BookGenerator implements IterableIterator<WindowBatch> {
  readonly lookback: number;
  readonly delay: number;
  readonly step: number;
  readonly minIndex: number;
  readonly maxIndex: number;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly reverse: boolean;
  /** Timesteps per sample: `lookback / step`. */
  readonly timesteps: number;
  /** Feature names, in sample order. */
  readonly columns: readonly string[];
  /** Index of the target among `columns`. */
  readonly targetColumnIndex: number;
  /** Normalization recorded in the input table's metadata, if any. */
  readonly normalization: NormalizationStats | undefined;

  private readonly series: Series;
  private readonly reader: WindowReader;
  private readonly buffers: BatchBuffers;
  private readonly rng: Rng;
  private readonly firstRow: number;
  private i: number;
  /** Where targets are read: `targetValues[row * targetStride + targetOffset]`. */
  private readonly targetValues: FloatArray;
  private readonly targetStride: number;
  private readonly targetOffset: number;
  /** Scratch for the batch's rows; internal, so always reused. */
  private rowsScratch = new Int32Array(0);

  constructor(data: SeriesInput, options: BookGeneratorOptions) {
    this.series = resolveSeries(data, options);
    const rows = this.series.rows;
    this.step = requirePositiveInt('step', options.step ?? 6);
    this.lookback = requirePositiveInt('lookback', options.lookback);
    this.delay = requireNonNegativeInt('delay', options.delay);
    this.batchSize = requirePositiveInt('batchSize', options.batchSize ?? 128);
    this.minIndex = requireNonNegativeInt('minIndex', options.minIndex ?? 0);
    if (this.lookback % this.step !== 0) {
      // The book sizes samples as lookback // step but fills them with ceil(lookback / step) rows.
      throw new WindowConfigError('lookback', `lookback (${this.lookback}) must be a multiple of step (${this.step})`);
    }
    if (this.lookback >= rows) {
      throw new WindowConfigError('lookback', `lookback (${this.lookback}) must be smaller than the series' ${rows} rows`);
    }
    const maxIndex = options.maxIndex ?? rows - this.delay - 1;
    if (options.maxIndex != null) requireNonNegativeInt('maxIndex', options.maxIndex);
    if (maxIndex > rows) {
      throw new WindowConfigError('maxIndex', `maxIndex (${maxIndex}) is past the end of the series (${rows} rows)`);
    }
    if (this.minIndex > maxIndex) {
      throw new WindowConfigError('minIndex', `minIndex (${this.minIndex}) is greater than maxIndex (${maxIndex})`);
    }
    if (maxIndex - 1 + this.delay > rows - 1) {
      throw new WindowConfigError(
        'delay',
        `delay (${this.delay}) runs past the end: the target of row ${maxIndex - 1} would be row ${maxIndex - 1 + this.delay}, but the series has ${rows} rows (use maxIndex ≤ ${rows - this.delay})`,
      );
    }
    if (this.minIndex + this.lookback >= maxIndex) {
      throw new WindowConfigError(
        'lookback',
        `lookback (${this.lookback}) leaves no rows: samples start at minIndex + lookback = ${this.minIndex + this.lookback}, which must be below maxIndex (${maxIndex})`,
      );
    }
    this.maxIndex = maxIndex;
    this.targetColumnIndex = resolveColumn(this.series, options.targetColumn ?? 1);
    const { rowMajor, columnArrays, features } = this.series;
    this.targetValues = rowMajor ?? columnArrays![this.targetColumnIndex];
    this.targetStride = rowMajor ? features : 1;
    this.targetOffset = rowMajor ? this.targetColumnIndex : 0;
    this.shuffle = options.shuffle ?? false;
    this.reverse = options.reverse ?? false;
    this.timesteps = this.lookback / this.step;
    this.columns = this.series.columns;
    this.normalization = normalizationFromInfo(this.series.info, this.series.columns);
    this.rng = createRng(options.seed ?? 0);
    this.firstRow = this.minIndex + this.lookback;
    this.i = this.firstRow;
    // Windows of rows minIndex+lookback … maxIndex-1 read rows minIndex … maxIndex-1-step.
    // Only random draws need the phase-ordered copy; in order, windows overlap and are copied within the batch.
    this.reader = new WindowReader(
      this.series,
      this.step,
      this.minIndex,
      maxIndex - 1 - this.step,
      (options.contiguousWindows ?? true) && this.shuffle,
    );
    // The reader checked the rows windows read; targets reach `delay` rows further.
    checkFinite(this.series, maxIndex - this.step, maxIndex + this.delay);
    this.buffers = new BatchBuffers(options.reuseBuffers ?? false);
  }

  /** The rows (each sample's row, exclusive end of its window) of the next batch. */
  private nextRows(): Int32Array {
    let n = this.batchSize;
    let first = 0;
    if (!this.shuffle) {
      if (this.i + this.batchSize >= this.maxIndex) this.i = this.firstRow;
      first = this.i;
      n = Math.min(this.i + this.batchSize, this.maxIndex) - this.i;
      this.i += n;
    }
    if (this.rowsScratch.length !== n) this.rowsScratch = new Int32Array(n);
    const rows = this.rowsScratch;
    if (this.shuffle) {
      const span = this.maxIndex - this.firstRow;
      for (let j = 0; j < n; j++) rows[j] = this.firstRow + this.rng.nextInt(span);
    } else {
      for (let j = 0; j < n; j++) rows[j] = first + j;
    }
    return rows;
  }

  next(): IteratorResult<WindowBatch> {
    const rows = this.nextRows();
    const n = rows.length;
    const [samples, targets] = this.buffers.get(n * this.timesteps * this.series.features, n);
    const { targetValues, targetStride, targetOffset, delay, lookback } = this;
    for (let j = 0; j < n; j++) {
      targets[j] = targetValues[(rows[j] + delay) * targetStride + targetOffset];
      rows[j] -= lookback;
    }
    if (this.shuffle) this.reader.gather(rows, n, this.timesteps, this.reverse, samples);
    else if (n > 0) this.reader.gatherEvenlySpaced(rows[0], 1, n, this.timesteps, this.reverse, samples);
    return {
      done: false,
      value: [
        { values: samples, shape: samplesShape(this.series, n, this.timesteps) },
        { values: targets, shape: [n] },
      ],
    };
  }

  [Symbol.iterator](): this {
    return this;
  }
}

/** `new BookGenerator(data, options)`: the book's listing 6.33. */
export function bookGenerator(data: SeriesInput, options: BookGeneratorOptions): BookGenerator {
  return new BookGenerator(data, options);
}
