/** A dense float array and its shape, row-major (the last axis varies fastest). */
export interface ShapedFloats {
  values: Float32Array;
  shape: readonly number[];
}

/**
 * One batch of windows, as the `@seqlearn/timeseries` generators yield it and
 * `@seqlearn/models` trains on it: samples `[batch, timesteps, features]`,
 * targets `[batch]` or `[batch, k]`. A producer may narrow the arrays it hands out
 * (`@seqlearn/timeseries` gives mutable shapes).
 */
export type WindowBatch<Arrays extends ShapedFloats = ShapedFloats> = readonly [samples: Arrays, targets: Arrays];
