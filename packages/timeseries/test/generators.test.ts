import { describe, expect, it } from 'vitest';
import { timeseriesTable } from '@seqlearn/dataset';
import { bookGenerator, TimeseriesGenerator, timeseriesDatasetFromArray, type WindowBatch } from '../src/index.js';

// Every value names its own place: row * 16 + feature (exact in Float32 for these sizes).
const ROWS = 3000;
const F = 3;
const code = (row: number, f: number) => row * 16 + f;
const encoded = () => ({
  values: Float32Array.from({ length: ROWS * F }, (_, i) => code(Math.floor(i / F), i % F)),
  shape: [ROWS, F] as [number, number],
});
const encodedTable = () =>
  timeseriesTable({
    time: Array.from({ length: ROWS }, (_, i) => i * 600_000),
    features: Object.fromEntries(Array.from({ length: F }, (_, f) => [`c${f}`, Array.from({ length: ROWS }, (_, r) => code(r, f))])),
  });

/** The sample's rows, read back from the codes: rows[t] is the row timestep t came from. */
function sampleRows(batch: WindowBatch, j: number): number[] {
  const [x] = batch;
  const T = x.shape[1];
  const rows: number[] = [];
  for (let t = 0; t < T; t++) {
    const at = (j * T + t) * F;
    for (let f = 0; f < F; f++) expect(x.values[at + f] % 16).toBe(f);
    rows.push(Math.floor(x.values[at] / 16));
  }
  return rows;
}

const copyBatch = ([x, y]: WindowBatch): WindowBatch => [
  { values: x.values.slice(), shape: [...x.shape] },
  { values: y.values.slice(), shape: [...y.shape] },
];

describe('bookGenerator, shuffled: rows drawn with replacement, windows as listing 6.33 builds them', () => {
  const options = {
    lookback: 60,
    step: 6,
    delay: 12,
    minIndex: 100,
    maxIndex: 400,
    batchSize: 64,
    shuffle: true,
    seed: 7,
    targetColumn: 1,
  };

  it('every sample is the window of a row in [minIndex + lookback, maxIndex), target delay rows on', () => {
    const gen = bookGenerator(encoded(), options);
    const drawn: number[] = [];
    for (let b = 0; b < 40; b++) {
      const batch = gen.next().value;
      expect(batch[0].shape).toEqual([64, 10, F]);
      for (let j = 0; j < 64; j++) {
        const rows = sampleRows(batch, j);
        const row = rows[rows.length - 1] + options.step;
        expect(rows).toEqual(Array.from({ length: 10 }, (_, t) => row - options.lookback + t * options.step));
        expect(batch[1].values[j]).toBe(code(row + options.delay, 1));
        drawn.push(row);
      }
    }
    expect(Math.min(...drawn)).toBe(160);
    expect(Math.max(...drawn)).toBe(399);
    // 2560 draws from 240 rows: with replacement, rows repeat.
    expect(new Set(drawn).size).toBeLessThan(drawn.length);
    expect(new Set(drawn).size).toBeGreaterThan(200);
  });

  it('the same seed gives the same batches; another seed does not', () => {
    const a = bookGenerator(encoded(), options);
    const b = bookGenerator(encoded(), options);
    const c = bookGenerator(encoded(), { ...options, seed: 8 });
    for (let i = 0; i < 3; i++) {
      const x = a.next().value[1].values;
      expect(b.next().value[1].values).toEqual(x);
      expect(c.next().value[1].values).not.toEqual(x);
    }
  });

  it('phase-ordered copy, row-by-row gathering, table columns and reused buffers all agree', () => {
    const variants = [
      bookGenerator(encoded(), options),
      bookGenerator(encoded(), { ...options, contiguousWindows: false }),
      bookGenerator(encodedTable(), { ...options, targetColumn: 'c1' }),
      bookGenerator(encodedTable(), { ...options, targetColumn: 'c1', contiguousWindows: false }),
      bookGenerator(encoded(), { ...options, reuseBuffers: true }),
    ];
    let reused: Float32Array | null = null;
    for (let i = 0; i < 5; i++) {
      const batches = variants.map((g) => g.next().value);
      for (const batch of batches.slice(1)) expect(batch).toEqual(batches[0]);
      if (reused) expect(batches[4][0].values).toBe(reused);
      reused = batches[4][0].values;
    }
  });

  it('a series changed in place is read as it is now, never through the copy made before the change', () => {
    const data = encoded();
    const before = bookGenerator(data, options).next().value;
    // The same values again (a copy found again): the same batch.
    expect(bookGenerator(encoded(), options).next().value).toEqual(before);
    // One value of a window changed in place: a generator made now reads it.
    const [x] = before;
    const row = Math.floor(x.values[0]! / 16);
    data.values[row * F + 2] = -1;
    const after = bookGenerator(data, options).next().value;
    expect(after[0].values[2]).toBe(-1);
    // Every value coming from that place reads -1 (values are unique codes), every other is unchanged.
    expect(Array.from(after[0].values)).toEqual(Array.from(before[0].values, (v) => (v === code(row, 2) ? -1 : v)));
    // Back to the old values: the old contents again.
    data.values[row * F + 2] = code(row, 2);
    expect(bookGenerator(data, options).next().value).toEqual(before);
  });

  it('reverse yields each window reversed in time', () => {
    const forward = bookGenerator(encoded(), options);
    const backward = bookGenerator(encoded(), { ...options, reverse: true });
    const backwardRowByRow = bookGenerator(encoded(), { ...options, reverse: true, contiguousWindows: false });
    const backwardReused = bookGenerator(encoded(), { ...options, reverse: true, reuseBuffers: true });
    for (let i = 0; i < 3; i++) {
      const f = forward.next().value;
      const b = backward.next().value;
      expect(backwardRowByRow.next().value).toEqual(b);
      expect(backwardReused.next().value).toEqual(b);
      for (let j = 0; j < 64; j++) expect(sampleRows(b, j)).toEqual(sampleRows(f, j).reverse());
      expect(b[1]).toEqual(f[1]);
    }
  });
});

describe('bookGenerator in order: every path agrees with the plain listing', () => {
  it('reverse, table, reused buffers over many wrap-arounds', () => {
    const options = { lookback: 24, step: 3, delay: 5, minIndex: 10, maxIndex: 200, batchSize: 32 };
    const plain = bookGenerator(encoded(), options);
    const variants = [
      bookGenerator(encodedTable(), { ...options, targetColumn: 'c1' }),
      bookGenerator(encoded(), { ...options, reuseBuffers: true }),
    ];
    const reversed = bookGenerator(encodedTable(), { ...options, targetColumn: 'c1', reverse: true });
    let expectedRow = 34;
    for (let i = 0; i < 20; i++) {
      const batch = copyBatch(plain.next().value);
      if (expectedRow + 32 >= 200) expectedRow = 34;
      for (let j = 0; j < batch[0].shape[0]; j++) {
        const row = expectedRow + j;
        expect(sampleRows(batch, j)).toEqual(Array.from({ length: 8 }, (_, t) => row - 24 + t * 3));
        expect(batch[1].values[j]).toBe(code(row + 5, 1));
      }
      expectedRow += batch[0].shape[0];
      for (const v of variants) expect(v.next().value).toEqual(batch);
      const r = reversed.next().value;
      for (let j = 0; j < batch[0].shape[0]; j++) expect(sampleRows(r, j)).toEqual(sampleRows(batch, j).reverse());
    }
  });
});

describe('TimeseriesGenerator, shuffled', () => {
  it('rows in [startIndex + length, endIndex], sample data[row - length : row : samplingRate], target targets[row]', () => {
    const targets = Float64Array.from({ length: ROWS }, (_, i) => -i);
    const options = { length: 20, samplingRate: 3, startIndex: 50, endIndex: 500, batchSize: 16, shuffle: true, seed: 3 };
    const gen = new TimeseriesGenerator(encoded(), targets, options);
    const rowByRow = new TimeseriesGenerator(encoded(), targets, { ...options, contiguousWindows: false });
    expect(gen.length).toBe(Math.floor((500 - 70 + 16) / 16));
    const first = copyBatch(gen.getItem(3));
    // Random access: the same index gives the same batch, until the epoch ends.
    expect(gen.getItem(3)).toEqual(first);
    expect(rowByRow.getItem(3)).toEqual(first);
    for (let j = 0; j < 16; j++) {
      const row = -first[1].values[j];
      expect(row).toBeGreaterThanOrEqual(70);
      expect(row).toBeLessThanOrEqual(500);
      expect(sampleRows(first, j)).toEqual([row - 20, row - 17, row - 14, row - 11, row - 8, row - 5, row - 2]);
    }
    gen.onEpochEnd();
    expect(gen.getItem(3)[1].values).not.toEqual(first[1].values);
  });
});

describe('timeseriesDatasetFromArray: the examples in the Keras documentation and tests', () => {
  it('example 1: indices 0…98, sequenceLength 10, samplingRate 2, sequenceStride 3', () => {
    const data = { values: Float32Array.from({ length: 99 }, (_, i) => i), shape: [99] as [number] };
    const ds = timeseriesDatasetFromArray(data, null, { sequenceLength: 10, samplingRate: 2, sequenceStride: 3, batchSize: 128 });
    const batches = [...ds];
    expect(batches.length).toBe(1);
    const x = batches[0];
    expect(x.shape).toEqual([27, 10]);
    const seq = (k: number) => Array.from(x.values.subarray(k * 10, k * 10 + 10));
    expect(seq(0)).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    expect(seq(1)).toEqual([3, 5, 7, 9, 11, 13, 15, 17, 19, 21]);
    expect(seq(2)).toEqual([6, 8, 10, 12, 14, 16, 18, 20, 22, 24]);
    expect(seq(26)).toEqual([78, 80, 82, 84, 86, 88, 90, 92, 94, 96]);
  });

  it('example 2: the past 10 timesteps predict the next one', () => {
    const data = Float32Array.from({ length: 50 }, (_, i) => i * i);
    const ds = timeseriesDatasetFromArray({ values: data.subarray(0, 40), shape: [40] }, data.subarray(10), { sequenceLength: 10 });
    const [[inputs, targets]] = [...ds];
    expect(Array.from(inputs.values.subarray(0, 10))).toEqual(Array.from(data.subarray(0, 10)));
    expect(targets.values[0]).toBe(data[10]);
    expect(inputs.shape).toEqual([31, 10]);
  });

  it('example 3: inputs and targets as two datasets, sequenceStride = sequenceLength', () => {
    const X = Float32Array.from({ length: 100 }, (_, i) => i);
    const Y = X.map((v) => v * 2);
    const opts = { sequenceLength: 20, sequenceStride: 20 };
    const [inputs] = [...timeseriesDatasetFromArray({ values: X, shape: [100] }, null, opts)];
    const [targets] = [...timeseriesDatasetFromArray({ values: Y, shape: [100] }, null, opts)];
    expect(Array.from(inputs.values.subarray(0, 20))).toEqual(Array.from(X.subarray(0, 20)));
    expect(Array.from(targets.values.subarray(20, 40))).toEqual(Array.from(Y.subarray(20, 40)));
  });

  it('Keras test_basics: arange(100), targets * 2, sequenceLength 9, batchSize 5', () => {
    const data = Float32Array.from({ length: 100 }, (_, i) => i);
    const ds = timeseriesDatasetFromArray(
      { values: data, shape: [100] },
      data.map((v) => v * 2),
      { sequenceLength: 9, batchSize: 5 },
    );
    const batches = [...ds];
    expect(batches.length).toBe(19);
    expect(ds.length).toBe(19);
    batches.forEach(([inputs, targets], i) => {
      expect(inputs.shape).toEqual(i < 18 ? [5, 9] : [2, 9]);
      for (let j = 0; j < inputs.shape[0]; j++) expect(targets.values[j]).toBe(inputs.values[j * 9] * 2);
      expect(inputs.values[0]).toBe(i * 5);
    });
  });

  it('startIndex / endIndex reserve rows; batchSize null yields single samples', () => {
    const ds = timeseriesDatasetFromArray(
      encoded(),
      Float32Array.from({ length: ROWS }, (_, i) => i),
      {
        sequenceLength: 4,
        samplingRate: 2,
        startIndex: 100,
        endIndex: 120,
        batchSize: null,
      },
    );
    const items = [...ds];
    // Windows span 7 rows: starts 100 … 113.
    expect(items.length).toBe(14);
    const [x, y] = items[13];
    expect(x.shape).toEqual([4, F]);
    expect(y.shape).toEqual([]);
    expect(y.values[0]).toBe(113);
    expect(Array.from(x.values.filter((_, i) => i % F === 0)).map((v) => v / 16)).toEqual([113, 115, 117, 119]);
  });

  it('shuffled: each epoch visits every window once, in a new seeded order', () => {
    const opts = {
      sequenceLength: 5,
      samplingRate: 2,
      sequenceStride: 3,
      batchSize: 7,
      shuffle: true,
      seed: 11,
      startIndex: 10,
      endIndex: 300,
    };
    const targets = Float32Array.from({ length: ROWS }, (_, i) => i);
    const ds = timeseriesDatasetFromArray(encoded(), targets, opts);
    const ordered = [...timeseriesDatasetFromArray(encoded(), targets, { ...opts, shuffle: false })].flatMap(([, y]) =>
      Array.from(y.values),
    );
    const epoch = (d: typeof ds) =>
      [...d].flatMap(([x, y]) => {
        const starts = Array.from(y.values);
        starts.forEach((s, j) =>
          expect(Array.from({ length: 5 }, (_, t) => x.values[(j * 5 + t) * F] / 16)).toEqual([s, s + 2, s + 4, s + 6, s + 8]),
        );
        return starts;
      });
    const e1 = epoch(ds);
    const e2 = epoch(ds);
    expect([...e1].sort((a, b) => a - b)).toEqual(ordered);
    expect([...e2].sort((a, b) => a - b)).toEqual(ordered);
    expect(e1).not.toEqual(e2);
    expect(epoch(timeseriesDatasetFromArray(encoded(), targets, opts))).toEqual(e1);
    expect(epoch(timeseriesDatasetFromArray(encoded(), targets, { ...opts, contiguousWindows: false }))).toEqual(e1);
  });
});
