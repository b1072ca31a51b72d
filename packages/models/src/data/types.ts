import type { Table } from 'apache-arrow';
import type { RecordBatchDataset } from './stream-feed.js';

/** A dense float array and its shape, row-major: what @seqlearn/timeseries generators yield. */
export interface ShapedFloats {
  values: Float32Array;
  shape: readonly number[];
}

/** One batch of windows: samples `[batch, timesteps, features]`, targets `[batch]` or `[batch, k]`. */
export type WindowBatch = readonly [samples: ShapedFloats, targets: ShapedFloats];

/** A Keras-Sequence-like generator (`TimeseriesGenerator`): a fixed number of batches, read by index. */
export interface IndexedBatches {
  readonly length: number;
  getItem(index: number): WindowBatch;
}

/**
 * What `train`, `evaluate` and `predict` read from: a sequences or vectors table (a padded
 * `tokens` or an `x` column, plus `label`), or a window generator from @seqlearn/timeseries,
 * either indexed (`TimeseriesGenerator`) or an endless iterator (the book's `generator`), or a
 * sharded sequences or vectors dataset, streamed a record batch at a time.
 */
export type ModelData = Table | IndexedBatches | Iterable<WindowBatch> | Iterator<WindowBatch> | RecordBatchDataset;

/** Host-side arrays for one batch, ready to become tensors. */
export interface HostBatch {
  x: Int32Array | Float32Array;
  xShape: number[];
  y: Float32Array | undefined;
  yShape: number[] | undefined;
  size: number;
  /** Per-row loss weights (sampleWeight × classWeight), when training is weighted. */
  w?: Float32Array;
}
