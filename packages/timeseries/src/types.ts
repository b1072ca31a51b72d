import type { WindowBatch as SharedWindowBatch } from '@seqlearn/dataset';
import type { Table } from 'apache-arrow';

/** The float buffers a series may live in. Batches are always Float32 (what tfjs takes). */
export type FloatArray = Float32Array | Float64Array;

/** A dense array and its shape, row-major (the last axis varies fastest). */
export interface ShapedArray {
  values: Float32Array;
  shape: number[];
}

/**
 * `[samples, targets]`: samples `[batch, timesteps, features]`, targets `[batch]` (or `[batch, k]`).
 * The shared `WindowBatch` of `@seqlearn/dataset` (what `@seqlearn/models` trains on), with this package's arrays.
 */
export type WindowBatch = SharedWindowBatch<ShapedArray>;

/**
 * A series held as one row-major buffer: `shape` is `[rows, features]`, or `[rows]` for a
 * univariate series (its samples then have no feature axis, as in Keras). `columns` names
 * the features; without it they are called "0", "1", …
 */
export interface SeriesArray {
  values: FloatArray;
  shape: readonly number[];
  columns?: readonly string[];
}

/** A timeseries table (`time` plus one Float32 column per feature) or a plain array. */
export type SeriesInput = Table | SeriesArray;

/** Targets aligned row for row with a series: one value a row, or `shape` `[rows, k]`. */
export type TargetsInput = FloatArray | readonly number[] | { values: FloatArray; shape: readonly number[] };

/** How a generator trades memory for speed. */
export interface WindowMemoryOptions {
  /**
   * Write every batch into the same arrays (default false: fresh arrays per batch). Saves
   * allocation and garbage; a batch is then only valid until the next one is asked for.
   */
  reuseBuffers?: boolean;
  /**
   * For shuffled draws, keep a phase-ordered Float32 copy of the rows in range so each
   * sample is one block copy (default true; at most one more copy of the series).
   * `false` keeps memory at one batch and gathers shuffled samples row by row, several
   * times slower. In-order batches never copy the series.
   */
  contiguousWindows?: boolean;
}
