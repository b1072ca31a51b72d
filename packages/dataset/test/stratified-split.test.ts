import { describe, expect, it } from 'vitest';
import { DatasetError, stratifiedHoldout } from '../src/index.js';

describe('stratifiedHoldout', () => {
  // 90 rows of class 0, 10 of class 1, interleaved.
  const labels = Int32Array.from({ length: 100 }, (_, i) => (i % 10 === 3 ? 1 : 0));

  it('holds out the fraction of every class and partitions the rows', () => {
    const { kept, heldOut } = stratifiedHoldout(labels, 0.2, 7);
    expect(heldOut.length).toBe(20);
    expect(Array.from(heldOut).filter((r) => labels[r] === 1)).toHaveLength(2);
    expect(Array.from(heldOut).filter((r) => labels[r] === 0)).toHaveLength(18);
    const all = [...kept, ...heldOut].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from(kept)).toEqual([...kept].sort((a, b) => a - b));
  });

  it('is fixed by the seed and changes with it', () => {
    const a = stratifiedHoldout(labels, 0.2, 7).heldOut;
    expect(Array.from(stratifiedHoldout(labels, 0.2, 7).heldOut)).toEqual(Array.from(a));
    expect(Array.from(stratifiedHoldout(labels, 0.2, 8).heldOut)).not.toEqual(Array.from(a));
  });

  it('keeps one row of a small class on each side', () => {
    const small = Int32Array.from([0, 0, 0, 0, 1, 1]);
    const { kept, heldOut } = stratifiedHoldout(small, 0.9, 1);
    expect(Array.from(kept).filter((r) => small[r] === 1)).toHaveLength(1);
    expect(Array.from(heldOut).filter((r) => small[r] === 1)).toHaveLength(1);
  });

  it('refuses a class with a single row, naming it', () => {
    expect(() => stratifiedHoldout(Int32Array.from([0, 0, 1, 0]), 0.25, 1)).toThrow(DatasetError);
    expect(() => stratifiedHoldout(Int32Array.from([0, 0, 1, 0]), 0.25, 1)).toThrow(/class 1 has a single row \(row 2\)/);
  });
});
