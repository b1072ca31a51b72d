import * as tf from '@tensorflow/tfjs';
import type { ShapedArray, WindowBatch } from './types.js';

/** Anything the generators hand out: a BookGenerator, a TimeseriesGenerator, a WindowDataset. */
export type BatchSource = Iterable<WindowBatch> | Iterator<WindowBatch>;

export interface TfDatasetOptions {
  /**
   * Reshape targets of shape `[batch]` to `[batch, 1]`, the shape a `Dense(1)` output has
   * (default true; tfjs, unlike Keras, does not expand them itself).
   */
  expandTargets?: boolean;
}

// A type alias (not an interface) so it satisfies tfjs's TensorContainer index signature.
export type TensorBatch = {
  xs: tf.Tensor;
  ys: tf.Tensor;
};

// tf.tensor keeps a reference to a Float32Array rather than copying it; a generator with
// `reuseBuffers` overwrites its arrays on the next batch, so the tensor gets its own copy.
function tensorOf(array: ShapedArray, shape: number[] = array.shape): tf.Tensor {
  return tf.tensor(array.values.slice(), shape, 'float32');
}

/** One `[samples, targets]` batch as `{ xs, ys }` tensors (the caller disposes them). */
export function batchToTensors([samples, targets]: WindowBatch, options: TfDatasetOptions = {}): TensorBatch {
  const expand = (options.expandTargets ?? true) && targets.shape.length === 1;
  return { xs: tensorOf(samples), ys: tensorOf(targets, expand ? [targets.shape[0], 1] : targets.shape) };
}

function iteratorFactory(source: BatchSource): () => Iterator<WindowBatch> {
  const iterable = source as Iterable<WindowBatch>;
  if (typeof iterable[Symbol.iterator] === 'function') return () => iterable[Symbol.iterator]();
  const iterator = source as Iterator<WindowBatch>;
  return () => iterator;
}

/**
 * A `tf.data.Dataset` of `{ xs, ys }` for `model.fitDataset`. Each pass over the dataset
 * asks the source for a new iterator: a TimeseriesGenerator or WindowDataset starts a new
 * epoch, while a BookGenerator is its own iterator and, like the book's Python generator,
 * simply goes on (give `fitDataset` a `batchesPerEpoch`). Batches stay one at a time in memory.
 */
export function toTfDataset(source: BatchSource, options: TfDatasetOptions = {}): tf.data.Dataset<TensorBatch> {
  const factory = iteratorFactory(source);
  return tf.data.generator(() => {
    const iterator = factory();
    const tensors: Iterator<TensorBatch> = {
      next: (): IteratorResult<TensorBatch> => {
        const item = iterator.next();
        return item.done ? { done: true, value: undefined } : { done: false, value: batchToTensors(item.value, options) };
      },
    };
    return tensors;
  });
}
