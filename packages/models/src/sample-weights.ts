// Keras's `class_weight` and `sample_weight`: one weight a training row, the product of the
// row's own weight and its class's weight, by which the row's loss is multiplied. Validation
// rows are never weighted (Keras weights only the data passed to fit as x, y).

import { ModelConfigError } from './errors.js';
import type { HeadKind } from './zoo/common.js';

/**
 * A weight per class index (`{ 0: 1, 1: 5 }` or `[1, 5]`), or `'balanced'`: scikit-learn's
 * `compute_class_weight('balanced')`, n_samples / (n_classes · count(class)) over the
 * training rows' labels.
 */
export type ClassWeight = 'balanced' | Readonly<Record<number, number>> | readonly number[];

/** scikit-learn's 'balanced' weights, over the classes present in `labels`; absent classes get no entry. */
export function balancedClassWeight(labels: ArrayLike<number>): Record<number, number> {
  const counts = new Map<number, number>();
  for (let i = 0; i < labels.length; i++) counts.set(labels[i], (counts.get(labels[i]) ?? 0) + 1);
  const out: Record<number, number> = {};
  for (const [label, count] of counts) out[label] = labels.length / (counts.size * count);
  return out;
}

/** The class weights as a lookup by class index; 'balanced' is computed from `labels`. */
export function resolveClassWeight(
  classWeight: ClassWeight,
  labels: ArrayLike<number> | undefined,
  where: string,
): (label: number) => number {
  let table: Readonly<Record<number, number>>;
  if (classWeight === 'balanced') {
    if (labels === undefined)
      throw new ModelConfigError(
        `${where}: classWeight 'balanced' needs the labels up front: pass a table, or compute the weights with balancedClassWeight`,
      );
    table = balancedClassWeight(labels);
  } else {
    table = classWeight as Readonly<Record<number, number>>;
    for (const [k, v] of Object.entries(table)) {
      if (!(Number.isFinite(v) && v >= 0))
        throw new ModelConfigError(`${where}: classWeight for class ${k} is ${v}; expected a finite number >= 0`);
    }
  }
  return (label: number) => {
    const w = table[label];
    if (w === undefined) {
      throw new ModelConfigError(
        `${where}: classWeight has no weight for class ${label}, which is in the training labels; give every class a weight (as Keras requires)`,
      );
    }
    return w;
  };
}

export function requireClassifier(head: HeadKind, where: string): void {
  if (head === 'regression')
    throw new ModelConfigError(
      `${where}: classWeight needs a classifier (a sigmoid or softmax head); use sampleWeight to weight regression rows`,
    );
}

/** One weight a table row: sampleWeight[row] × classWeight[label[row]], either factor optional. */
export function rowWeights(
  rows: number,
  opts: { sampleWeight?: ArrayLike<number>; classWeight?: (label: number) => number; labels?: ArrayLike<number> },
  where: string,
): Float32Array {
  const out = new Float32Array(rows).fill(1);
  const sw = opts.sampleWeight;
  if (sw !== undefined) {
    if (sw.length !== rows)
      throw new ModelConfigError(`${where}: sampleWeight has ${sw.length} values for ${rows} table rows; expected one a row`);
    for (let r = 0; r < rows; r++) {
      if (!(Number.isFinite(sw[r]) && sw[r] >= 0))
        throw new ModelConfigError(`${where}: sampleWeight[${r}] is ${sw[r]}; expected a finite number >= 0`);
      out[r] = sw[r];
    }
  }
  if (opts.classWeight !== undefined && opts.labels !== undefined) {
    for (let r = 0; r < Math.min(rows, opts.labels.length); r++) out[r] *= opts.classWeight(opts.labels[r]);
  }
  return out;
}

/** Class weights of a batch's labels (generators, whose labels come batch by batch). */
export function batchClassWeights(y: Float32Array, classWeight: (label: number) => number): Float32Array {
  return Float32Array.from(y, (label) => classWeight(label));
}
