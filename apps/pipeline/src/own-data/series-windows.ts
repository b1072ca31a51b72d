import type { Table } from 'apache-arrow';
import { columnValues } from '@seqlearn/dataset';
import { timeseriesDatasetFromArray, type WindowBatch, type WindowDataset } from '@seqlearn/timeseries';

/**
 * How a forecaster sees a series: `timesteps` rows `step` apart, the last one `delay` rows
 * before the target row. The common-sense baseline says the target `delay` rows on equals
 * its value at the window's last row.
 */
export interface WindowShape {
  lookback: number;
  step: number;
  delay: number;
  timesteps: number;
}

export function windowShape(lookback: number, step: number, delay: number): WindowShape {
  return { lookback, step, delay, timesteps: Math.max(1, Math.floor(lookback / step)) };
}

/** Rows from a window's first row to its target row. */
export const windowSpan = (w: WindowShape): number => (w.timesteps - 1) * w.step + w.delay;

/** Rows a series needs before its first target. */
export const rowsBeforeFirstTarget = windowSpan;

export interface WindowOptions {
  /** Feature columns, in the model's order. */
  columns: readonly string[];
  target: string;
  batchSize: number;
  shuffle?: boolean;
  seed?: number;
}

/** Windows whose targets fall in rows `[from, to)` of a (normalized) series table. */
export function targetWindows(
  table: Table,
  w: WindowShape,
  [from, to]: readonly [number, number],
  options: WindowOptions,
): WindowDataset<WindowBatch> {
  const span = windowSpan(w);
  const target = columnValues(table, options.target).values;
  const targets = new Float32Array(table.numRows);
  for (let s = 0; s + span < table.numRows; s++) targets[s] = target[s + span];
  return timeseriesDatasetFromArray(table, targets, {
    columns: options.columns,
    sequenceLength: w.timesteps,
    samplingRate: w.step,
    batchSize: options.batchSize,
    startIndex: Math.max(0, from - span),
    endIndex: to - w.delay,
    shuffle: options.shuffle ?? false,
    seed: options.seed ?? 0,
  });
}

/** Number of windows whose targets fall in `[from, to)`. */
export function windowCount(w: WindowShape, [from, to]: readonly [number, number]): number {
  return Math.max(0, to - Math.max(from, windowSpan(w)));
}

/**
 * Every full window of a series, the last ones forecasting beyond the data. Their targets are
 * unknown: the zeros only give the windows the shape a model's predict reads.
 */
export function allWindows(table: Table, w: WindowShape, columns: readonly string[], batchSize: number): WindowDataset<WindowBatch> {
  return timeseriesDatasetFromArray(table, new Float32Array(table.numRows), {
    columns,
    sequenceLength: w.timesteps,
    samplingRate: w.step,
    batchSize,
  });
}
