import { Table } from 'apache-arrow';
import { recordBatches, type RecordBatchSource } from '@seqlearn/dataset';
import { NonFiniteValueError, SeriesInputError, UnknownColumnError, WindowConfigError } from './errors.js';
import { requireNonNegativeInt, requirePositiveInt } from './options.js';
import { resolveSeries, type SeriesSelection } from './series.js';
import type { WindowBatch } from './types.js';

export interface StreamWindowsOptions extends SeriesSelection {
  /** Timesteps per sample. */
  sequenceLength: number;
  /** Period between the first rows of successive samples (default 1). */
  sequenceStride?: number;
  /** Period between the timesteps of a sample (default 1). */
  samplingRate?: number;
  /** Samples per batch (default 128). */
  batchSize?: number;
  /**
   * The target of the sample that starts at row `s` is `column` at row `s + offset` (the book's
   * `lookback + delay`). Without a target, batches hold samples only (`targets` has no values).
   */
  target: { column: string; offset: number };
}

/**
 * The windows of `timeseriesDatasetFromArray`, in order, from a stream of timeseries record
 * batches (a sharded timeseries dataset, `readParquet(…)`): windows that span two batches are
 * stitched, and memory holds one batch plus a window's rows, not the series. Each batch equals
 * the in-memory generator's over the whole series with `targets` = the target column from
 * row `offset` on. Streams are read once, in order: shuffle windows in memory, or shuffle
 * shards and rows upstream (`dataset.batches({ shuffle })` shuffles rows, which breaks windows).
 */
export async function* streamWindows(source: RecordBatchSource, options: StreamWindowsOptions): AsyncGenerator<WindowBatch> {
  const sequenceLength = requirePositiveInt('sequenceLength', options.sequenceLength);
  const stride = requirePositiveInt('sequenceStride', options.sequenceStride ?? 1);
  const rate = requirePositiveInt('samplingRate', options.samplingRate ?? 1);
  const batchSize = requirePositiveInt('batchSize', options.batchSize ?? 128);
  const offset = requireNonNegativeInt('target.offset', options.target?.offset);
  const targetColumn = options.target?.column;
  if (typeof targetColumn !== 'string') throw new WindowConfigError('target', 'target.column must name a Float32 column of the series');
  const span = (sequenceLength - 1) * rate + 1;
  // Rows from the sample's start that must have arrived before it can be cut.
  const reach = Math.max(span - 1, offset);

  let features = 0;
  let columns: string[] = [];
  // Rows [first, first + held) of the series, row-major, and the target column beside them.
  let rows = new Float32Array(0);
  let targets = new Float32Array(0);
  let first = 0;
  let held = 0;
  let next = 0;
  let seen = 0;
  let samples: Float32Array | undefined;
  let y: Float32Array | undefined;
  let filled = 0;

  const flush = (): WindowBatch => {
    const batch: WindowBatch = [
      { values: samples!.subarray(0, filled * sequenceLength * features), shape: [filled, sequenceLength, features] },
      { values: y!.subarray(0, filled), shape: [filled] },
    ];
    samples = undefined;
    y = undefined;
    filled = 0;
    return batch;
  };

  for await (const batch of recordBatches(source)) {
    if (batch.numRows === 0) continue;
    const table = new Table([batch]);
    const series = resolveSeries(table, options);
    if (features === 0) {
      features = series.features;
      columns = series.columns;
    } else if (series.columns.join('\u0000') !== columns.join('\u0000')) {
      throw new SeriesInputError(
        `record batch at row ${seen}: feature columns ${series.columns.join(', ')} differ from the first batch's ${columns.join(', ')}`,
      );
    }
    const all = table.schema.fields.map((f) => f.name);
    if (!all.includes(targetColumn)) throw new UnknownColumnError(targetColumn, all, 'target column');
    const target = table.getChild(targetColumn)!.toArray();
    if (!(target instanceof Float32Array))
      throw new SeriesInputError(
        `target column "${targetColumn}" is ${String(table.schema.fields[all.indexOf(targetColumn)]!.type)}; expected Float32`,
      );

    // Drop the rows no later sample reads, then append this batch.
    const keepFrom = Math.min(next, first + held);
    const drop = keepFrom - first;
    const count = batch.numRows;
    const needed = held - drop + count;
    if (needed * features > rows.length) {
      const grown = new Float32Array(Math.max(needed * features, rows.length * 2));
      grown.set(rows.subarray(drop * features, held * features));
      rows = grown;
      const grownTargets = new Float32Array(Math.max(needed, targets.length * 2));
      grownTargets.set(targets.subarray(drop, held));
      targets = grownTargets;
    } else if (drop > 0) {
      rows.copyWithin(0, drop * features, held * features);
      targets.copyWithin(0, drop, held);
    }
    first += drop;
    held -= drop;
    const arrays = series.columnArrays!;
    for (let r = 0; r < count; r++) {
      const base = (held + r) * features;
      for (let f = 0; f < features; f++) {
        const value = arrays[f]![r]!;
        if (!Number.isFinite(value)) throw new NonFiniteValueError(seen + r, columns[f]!, value);
        rows[base + f] = value;
      }
      targets[held + r] = target[r]!;
    }
    held += count;
    seen += count;

    while (next + reach < first + held) {
      samples ??= new Float32Array(batchSize * sequenceLength * features);
      y ??= new Float32Array(batchSize);
      const local = next - first;
      const out = filled * sequenceLength * features;
      if (rate === 1) samples.set(rows.subarray(local * features, (local + sequenceLength) * features), out);
      else {
        for (let k = 0; k < sequenceLength; k++) {
          const from = (local + k * rate) * features;
          for (let f = 0; f < features; f++) samples[out + k * features + f] = rows[from + f]!;
        }
      }
      const t = targets[local + offset]!;
      if (!Number.isFinite(t)) throw new NonFiniteValueError(next + offset, targetColumn, t);
      y[filled++] = t;
      next += stride;
      if (filled === batchSize) yield flush();
    }
  }
  if (filled > 0) yield flush();
  if (seen > 0 && next === 0) {
    throw new WindowConfigError(
      'sequenceLength',
      `a window with its target reaches ${reach + 1} rows, more than the ${seen} rows in the stream`,
    );
  }
}
