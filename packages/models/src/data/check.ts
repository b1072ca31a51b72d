import { tf } from '../tf.js';
import { InputShapeError, LabelRangeError } from '../errors.js';
import type { HeadKind } from '../zoo/common.js';

/** What a model accepts, read from its graph: shape per sample, dtype, head and vocabulary. */
export interface ModelSignature {
  /** Input shape without the batch axis; `null` where any size goes. */
  sampleShape: (number | null)[];
  dtype: 'int32' | 'float32';
  head: HeadKind;
  /** Output units of the head. */
  outputs: number;
  /** The Embedding's input dimension, when the model starts with one. */
  vocabulary: number | undefined;
}

function lossName(model: tf.LayersModel): string {
  const loss: unknown = model.loss;
  if (typeof loss === 'string') return loss;
  if (Array.isArray(loss) && typeof loss[0] === 'string') return loss[0];
  return '';
}

export function modelSignature(model: tf.LayersModel): ModelSignature {
  const inputShape = model.inputs[0].shape;
  const outputShape = model.outputs[0].shape;
  const first = model.layers[0];
  const isEmbedding = first?.getClassName() === 'Embedding';
  const vocabulary = isEmbedding ? (first.getConfig().inputDim as number) : undefined;
  const outputs = (outputShape[outputShape.length - 1] as number | null) ?? 1;
  const loss = lossName(model);
  let head: HeadKind;
  if (/binary/i.test(loss)) head = 'binary';
  else if (/categorical/i.test(loss)) head = 'multiclass';
  else head = 'regression';
  return { sampleShape: inputShape.slice(1), dtype: isEmbedding ? 'int32' : 'float32', head, outputs, vocabulary };
}

function fmt(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => (d === null ? 'null' : String(d))).join(', ')}]`;
}

/** Shape and dtype agreement between data and model, checked before any tensor is made. */
export function checkInput(sig: ModelSignature, sampleShape: readonly number[], dtype: 'int32' | 'float32', where: string): void {
  const expected = [null, ...sig.sampleShape];
  const actual = [null, ...sampleShape];
  const fits = sampleShape.length === sig.sampleShape.length && sig.sampleShape.every((d, i) => d === null || d === sampleShape[i]);
  if (!fits) {
    throw new InputShapeError(`${where}: the model expects input of shape ${fmt(expected)} (${sig.dtype}), got ${fmt(actual)} (${dtype})`);
  }
  if (dtype !== sig.dtype) {
    const why = sig.dtype === 'int32' ? 'token ids for its Embedding' : 'float values (it has no Embedding to look token ids up in)';
    throw new InputShapeError(
      `${where}: the model expects ${sig.dtype} input of shape ${fmt(expected)} (${why}), got ${dtype} of shape ${fmt(actual)}`,
    );
  }
}

/** Token ids must index the Embedding: tfjs would otherwise read past the matrix silently. */
export function checkTokens(sig: ModelSignature, values: ArrayLike<number>, where: string): void {
  if (sig.vocabulary === undefined) return;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < 0 || v >= sig.vocabulary) {
      throw new InputShapeError(
        `${where}: token id ${v} at flat position ${i} is outside the Embedding's range [0, ${sig.vocabulary}); use a tokenizer with numWords ≤ ${sig.vocabulary}`,
      );
    }
  }
}

/** Labels must be representable by the head: {0, 1} for sigmoid, 0 … n-1 for softmax, finite for regression. */
export function checkLabels(sig: ModelSignature, labels: ArrayLike<number>, where: string, rowOffset = 0): void {
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    const row = rowOffset + i;
    if (!Number.isFinite(v)) throw new LabelRangeError(`${where}: label at row ${row} is ${v}; expected a finite number`);
    if (sig.head === 'binary' && v !== 0 && v !== 1) {
      throw new LabelRangeError(`${where}: label at row ${row} is ${v}; a Dense(1, sigmoid) head expects 0 or 1`);
    }
    if (sig.head === 'multiclass' && !(Number.isInteger(v) && v >= 0 && v < sig.outputs)) {
      throw new LabelRangeError(
        `${where}: label at row ${row} is ${v}; a Dense(${sig.outputs}, softmax) head expects an integer class in [0, ${sig.outputs - 1}]`,
      );
    }
  }
}
