import { shuffledIndices } from '@seqlearn/dataset';
import { EmptyDatasetError, InputShapeError, ModelConfigError } from '../errors.js';
import type { HostBatch, IndexedBatches, WindowBatch } from './types.js';

export function isIndexedBatches(data: unknown): data is IndexedBatches {
  return (
    typeof data === 'object' &&
    data !== null &&
    typeof (data as IndexedBatches).getItem === 'function' &&
    typeof (data as IndexedBatches).length === 'number'
  );
}

function isIterator(data: unknown): data is Iterator<WindowBatch> {
  return typeof data === 'object' && data !== null && typeof (data as Iterator<WindowBatch>).next === 'function';
}

function isIterable(data: unknown): data is Iterable<WindowBatch> {
  return typeof data === 'object' && data !== null && typeof (data as Iterable<WindowBatch>)[Symbol.iterator] === 'function';
}

export function isGeneratorData(data: unknown): boolean {
  return isIndexedBatches(data) || isIterator(data) || isIterable(data);
}

function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Checks one yielded batch's own consistency and turns it into host arrays (views, no copies). */
export function windowToHost(batch: WindowBatch, where: string, step: number, withTargets: boolean): HostBatch {
  if (!Array.isArray(batch) || batch.length !== 2) {
    throw new InputShapeError(`${where}: batch ${step} is not a [samples, targets] pair`);
  }
  const [samples, targets] = batch;
  const size = samples.shape[0];
  if (size === 0) throw new EmptyDatasetError(`${where}: batch ${step} holds no samples`);
  if (!(samples.values instanceof Float32Array)) {
    throw new InputShapeError(`${where}: batch ${step} samples are ${(samples.values as object).constructor.name}; expected Float32Array`);
  }
  if (samples.values.length !== product(samples.shape)) {
    throw new InputShapeError(
      `${where}: batch ${step} samples hold ${samples.values.length} values but their shape [${samples.shape.join(', ')}] needs ${product(samples.shape)}`,
    );
  }
  let y: Float32Array | undefined;
  let yShape: number[] | undefined;
  if (withTargets) {
    if (targets.shape[0] !== size) {
      throw new InputShapeError(
        `${where}: batch ${step} has ${size} samples but targets of shape [${targets.shape.join(', ')}]; expected [${size}] or [${size}, k]`,
      );
    }
    y = targets.values;
    yShape = targets.shape.length === 1 ? [size, 1] : [...targets.shape];
  }
  return { x: samples.values, xShape: [...samples.shape], y, yShape, size };
}

/**
 * Reads a generator epoch by epoch. Indexed generators give `length` batches an epoch (in a
 * seeded order when shuffling); iterators are read on, `steps` batches an epoch, as Keras's
 * `fit_generator` does with `steps_per_epoch`.
 */
export class GeneratorFeed {
  private iterator: Iterator<WindowBatch> | undefined;
  readonly steps: number;

  constructor(
    private readonly data: IndexedBatches | Iterable<WindowBatch> | Iterator<WindowBatch>,
    steps: number | undefined,
    private readonly where: string,
    stepsOption: string,
  ) {
    if (isIndexedBatches(data)) {
      if (data.length === 0) throw new EmptyDatasetError(`${where}: the generator has no batches (length 0)`);
      this.steps = steps === undefined ? data.length : Math.min(steps, data.length);
    } else {
      const endless = isIterator(data) && (!isIterable(data) || (data as Iterable<WindowBatch>)[Symbol.iterator]() === data);
      if (steps === undefined && endless) {
        throw new ModelConfigError(`${where}: ${stepsOption} is required for an iterator such as bookGenerator (it never ends on its own)`);
      }
      this.steps = steps ?? Number.POSITIVE_INFINITY;
    }
    if (steps !== undefined && !(Number.isInteger(steps) && steps > 0)) {
      throw new ModelConfigError(`${where}: ${stepsOption} must be a positive integer, got ${steps}`);
    }
  }

  /** Batches of one pass; a finite iterable is restarted each pass, an iterator continues. */
  *epoch(shuffleSeed: number | undefined, withTargets: boolean): Generator<HostBatch> {
    const data = this.data;
    if (isIndexedBatches(data)) {
      const order = shuffleSeed === undefined ? undefined : shuffledIndices(data.length, shuffleSeed);
      for (let step = 0; step < this.steps; step++) {
        yield windowToHost(data.getItem(order ? order[step] : step), this.where, step, withTargets);
      }
      return;
    }
    if (this.iterator === undefined || (isIterable(data) && !isIterator(data))) {
      this.iterator = isIterator(data) ? data : (data as Iterable<WindowBatch>)[Symbol.iterator]();
    }
    let step = 0;
    for (; step < this.steps; step++) {
      const next = this.iterator.next();
      if (next.done === true) break;
      yield windowToHost(next.value, this.where, step, withTargets);
    }
    if (step === 0) throw new EmptyDatasetError(`${this.where}: the generator yielded no batches`);
  }
}
