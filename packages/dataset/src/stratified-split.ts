import { DatasetError } from './errors.js';
import { shuffledIndices } from './random.js';

/** The two parts of a stratified hold-out: row numbers in ascending order. */
export interface StratifiedHoldout {
  kept: Int32Array;
  heldOut: Int32Array;
}

/**
 * Holds out `fraction` of each class's rows (rounded, at least one), drawn with a seed, so
 * that the held-out part has the class balance of the whole, as scikit-learn's
 * `train_test_split(..., stratify=labels)`. Every class needs at least two rows, one on each
 * side; the error names the first class that has fewer.
 */
export function stratifiedHoldout(labels: ArrayLike<number>, fraction: number, seed: number): StratifiedHoldout {
  if (!(fraction > 0 && fraction < 1)) throw new DatasetError(`fraction must be between 0 and 1 (exclusive), got ${fraction}`);
  const byClass = new Map<number, number[]>();
  for (let row = 0; row < labels.length; row++) {
    const label = labels[row];
    let rows = byClass.get(label);
    if (rows === undefined) byClass.set(label, (rows = []));
    rows.push(row);
  }
  const heldOut: number[] = [];
  const kept: number[] = [];
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    const rows = byClass.get(label)!;
    if (rows.length < 2) {
      throw new DatasetError(
        `class ${label} has a single row (row ${rows[0]}); every class needs at least 2 rows to be on both sides of a split`,
      );
    }
    const take = Math.min(rows.length - 1, Math.max(1, Math.round(rows.length * fraction)));
    // Each class draws from a seed of its own, so adding a class does not reshuffle the others.
    const order = shuffledIndices(rows.length, (seed * 1_000_003 + label) >>> 0);
    for (let i = 0; i < rows.length; i++) (i < take ? heldOut : kept).push(rows[order[i]]);
  }
  const ascending = (a: number, b: number) => a - b;
  return { kept: Int32Array.from(kept.sort(ascending)), heldOut: Int32Array.from(heldOut.sort(ascending)) };
}
