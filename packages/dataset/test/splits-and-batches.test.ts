import { describe, expect, it } from 'vitest';
import { Table } from 'apache-arrow';
import {
  batches,
  columnValues,
  contiguous,
  corpusTable,
  createRng,
  paddedSequencesTable,
  raggedSequencesTable,
  shuffleTable,
  shuffledIndices,
  splitByColumn,
  splitByFractions,
  takeRows,
} from '@seqlearn/dataset';

const n = 1_000;
const padded = () =>
  paddedSequencesTable({
    tokens: Int32Array.from({ length: n * 4 }, (_, i) => i),
    maxlen: 4,
    label: Int32Array.from({ length: n }, (_, i) => i),
  });
const labelsOf = (t: Table) => Array.from(columnValues(t, 'label').values as Int32Array);

describe('seeded randomness', () => {
  it('gives the same stream for the same seed and another for another seed', () => {
    const a = createRng(42),
      b = createRng(42),
      c = createRng(43);
    const sa = Array.from({ length: 10 }, () => a.next());
    expect(Array.from({ length: 10 }, () => b.next())).toEqual(sa);
    expect(Array.from({ length: 10 }, () => c.next())).not.toEqual(sa);
    expect(sa.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('permutes every index exactly once', () => {
    const p = shuffledIndices(500, 7);
    expect(Array.from(p).sort((x, y) => x - y)).toEqual(Array.from({ length: 500 }, (_, i) => i));
    expect(Array.from(p)).not.toEqual(Array.from({ length: 500 }, (_, i) => i));
  });
});

describe('shuffles and splits', () => {
  it('shuffles rows together, reproducibly', () => {
    const table = padded();
    const s1 = shuffleTable(table, 3),
      s2 = shuffleTable(table, 3);
    expect(labelsOf(s1)).toEqual(labelsOf(s2));
    const tokens = columnValues(s1, 'tokens').values;
    labelsOf(s1).forEach((label, row) => expect(tokens[row * 4]).toBe(label * 4));
  });

  it('splits by fractions without a seed like Keras validation_split: the tail', () => {
    const [train, val] = splitByFractions(padded(), [0.8, 0.2]);
    expect(train.numRows).toBe(800);
    expect(val.numRows).toBe(200);
    expect(labelsOf(val)[0]).toBe(800);
    expect(columnValues(val, 'tokens').values[0]).toBe(3200);
  });

  it('splits by fractions with a seed into disjoint parts covering every row', () => {
    const parts = splitByFractions(padded(), [0.6, 0.2, 0.2], { seed: 11 });
    expect(parts.map((p) => p.numRows)).toEqual([600, 200, 200]);
    const all = parts.flatMap(labelsOf).sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(labelsOf(splitByFractions(padded(), [0.6, 0.4], { seed: 11 })[0])).toEqual(labelsOf(parts[0]));
  });

  it('rejects fractions that add up to more than one', () => {
    expect(() => splitByFractions(padded(), [0.7, 0.7])).toThrow(/add up to at most 1/);
  });

  it('splits by the split column, keeping row order', () => {
    const corpus = corpusTable(
      { text: ['a', 'b', 'c', 'd', 'e'], label: [0, 1, 0, 1, 1], split: ['train', 'test', 'train', 'train', 'test'] },
      { labels: ['neg', 'pos'], source: 't' },
    );
    const parts = splitByColumn(corpus);
    expect([...parts.keys()]).toEqual(['train', 'test']);
    expect(parts.get('train')!.getChild('text')!.toArray()).toEqual(['a', 'c', 'd']);
    expect(parts.get('test')!.getChild('text')!.toArray()).toEqual(['b', 'e']);
    expect(parts.get('test')!.getChild('split')!.get(0)).toBe('test');
  });

  it('takes rows of ragged sequences and strings', () => {
    const t = raggedSequencesTable({ tokens: [[1], [2, 2], [3, 3, 3]], label: [0, 1, 2] });
    const picked = takeRows(t, [2, 0]);
    expect(Array.from(picked.getChild('tokens')!.get(0)!)).toEqual([3, 3, 3]);
    expect(Array.from(picked.getChild('tokens')!.get(1)!)).toEqual([1]);
    expect(() => takeRows(t, [3])).toThrow(/outside the table's 3 rows/);
  });

  it('makes a multi-batch table contiguous', () => {
    const a = raggedSequencesTable({ tokens: [[1, 2]], label: [5] });
    const b = raggedSequencesTable({ tokens: [[3], [4, 5, 6]], label: [6, 7] });
    const both = a.concat(b);
    expect(both.batches.length).toBe(2);
    expect(() => columnValues(both, 'tokens')).toThrow(/contiguous/);
    const one = contiguous(both);
    const view = columnValues(one, 'tokens');
    expect(Array.from(view.values)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(view.offsets!)).toEqual([0, 2, 3, 6]);
  });
});

describe('zero-copy batches', () => {
  it('hands out views that share memory with the table', () => {
    const table = padded();
    const whole = columnValues(table, 'tokens').values;
    const seen: number[] = [];
    for (const batch of batches(table, { batchSize: 128, columns: ['tokens', 'label'] })) {
      const tokens = batch.columns.tokens;
      expect(tokens.values.buffer).toBe(whole.buffer);
      expect(tokens.values.byteOffset).toBe(whole.byteOffset + batch.start * 4 * 4);
      expect(tokens.values.length).toBe(batch.size * 4);
      expect(tokens.width).toBe(4);
      seen.push(batch.size);
    }
    expect(seen).toEqual([128, 128, 128, 128, 128, 128, 128, 104]);
    // A write through a view is visible through the table: same memory, not a copy.
    const first = batches(table, { batchSize: 10, start: 500 }).next().value!;
    (first.columns.tokens.values as Int32Array)[1] = -77;
    expect(table.getChild('tokens')!.get(500)!.get(1)).toBe(-77);
  });

  it('hands out offset views of ragged columns over the same value buffer', () => {
    const table = raggedSequencesTable({ tokens: [[1, 2], [3], [4, 5, 6], [7]] });
    const [b0, b1] = [...batches(table, { batchSize: 2 })];
    expect(b0.columns.tokens.values).toBe(b1.columns.tokens.values);
    expect(Array.from(b1.columns.tokens.offsets!)).toEqual([3, 6, 7]);
  });

  it('rejects a bad batch size or row range', () => {
    expect(() => [...batches(padded(), { batchSize: 0 })]).toThrow(/positive integer/);
    expect(() => [...batches(padded(), { batchSize: 2, end: n + 1 })]).toThrow(/not within/);
  });
});
