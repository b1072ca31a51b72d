import { describe, expect, it } from 'vitest';
import { SeqlearnError, timeseriesTable } from '@seqlearn/dataset';
import {
  bookGenerator,
  fitNormalization,
  NonFiniteValueError,
  SeriesInputError,
  TimeseriesGenerator,
  timeseriesDatasetFromArray,
  UnknownColumnError,
  WindowConfigError,
} from '../src/index.js';

const ROWS = 200;
const F = 3;
const series = () => ({ values: Float32Array.from({ length: ROWS * F }, (_, i) => Math.sin(i)), shape: [ROWS, F] as [number, number] });
const base = { lookback: 24, delay: 6, step: 2, batchSize: 8 };

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

describe('bookGenerator: bad options get typed errors', () => {
  it('lookback at least the available rows', () => {
    const e = thrown(() => bookGenerator(series(), { ...base, lookback: 200, step: 1 }));
    expect(e).toBeInstanceOf(WindowConfigError);
    expect(e).toBeInstanceOf(SeqlearnError);
    expect((e as WindowConfigError).option).toBe('lookback');
    const e2 = thrown(() => bookGenerator(series(), { ...base, minIndex: 100, maxIndex: 120 }));
    expect((e2 as WindowConfigError).option).toBe('lookback');
    expect((e2 as Error).message).toMatch(/minIndex \+ lookback = 124.*maxIndex \(120\)/);
  });

  it('step ≤ 0', () => {
    for (const step of [0, -6, 1.5]) {
      const e = thrown(() => bookGenerator(series(), { ...base, step }));
      expect(e).toBeInstanceOf(WindowConfigError);
      expect((e as WindowConfigError).option).toBe('step');
    }
  });

  it('lookback not a multiple of step', () => {
    const e = thrown(() => bookGenerator(series(), { ...base, lookback: 25 }));
    expect((e as WindowConfigError).option).toBe('lookback');
  });

  it('a delay that runs past the end', () => {
    const e = thrown(() => bookGenerator(series(), { ...base, maxIndex: 190, delay: 20 }));
    expect(e).toBeInstanceOf(WindowConfigError);
    expect((e as WindowConfigError).option).toBe('delay');
    expect((e as Error).message).toMatch(/row 209.*200 rows/);
    // The book's default maxIndex (rows - delay - 1) always fits.
    expect(() => bookGenerator(series(), { ...base, maxIndex: null, delay: 20 })).not.toThrow();
  });

  it('maxIndex past the end', () => {
    expect((thrown(() => bookGenerator(series(), { ...base, maxIndex: 1000, delay: 0 })) as WindowConfigError).option).toBe('maxIndex');
  });

  it('minIndex > maxIndex', () => {
    const e = thrown(() => bookGenerator(series(), { ...base, minIndex: 150, maxIndex: 100 }));
    expect(e).toBeInstanceOf(WindowConfigError);
    expect((e as WindowConfigError).option).toBe('minIndex');
    expect((e as Error).message).toContain('minIndex (150) is greater than maxIndex (100)');
  });

  it('NaN in the data names the row and the column', () => {
    const s = series();
    s.values[57 * F + 2] = NaN;
    const e = thrown(() => bookGenerator(s, base)) as NonFiniteValueError;
    expect(e).toBeInstanceOf(NonFiniteValueError);
    expect(e.row).toBe(57);
    expect(e.column).toBe('2');
    expect(e.message).toContain('row 57, column "2"');
    // Also found when the generator copies nothing (in order) and when it makes its shuffled copy.
    expect(thrown(() => bookGenerator(s, { ...base, shuffle: true }))).toBeInstanceOf(NonFiniteValueError);
    expect((thrown(() => bookGenerator(s, { ...base, shuffle: true, contiguousWindows: false })) as NonFiniteValueError).row).toBe(57);
  });

  it('NaN in a table column names the column by name; Infinity counts too', () => {
    const temp = Float32Array.from({ length: ROWS }, (_, i) => i);
    temp[123] = Infinity;
    const table = timeseriesTable({
      time: Array.from({ length: ROWS }, (_, i) => i * 3.6e6),
      features: { pres: new Float32Array(ROWS), TEMP: temp },
    });
    const e = thrown(() => bookGenerator(table, { ...base, shuffle: true })) as NonFiniteValueError;
    expect(e.row).toBe(123);
    expect(e.column).toBe('TEMP');
  });

  it('NaN only in a target row past the windows is still caught', () => {
    const s = series();
    // maxIndex null is rows - delay - 1 = 194: the last target read is row 193 + 5 = 198.
    s.values[(ROWS - 2) * F + 1] = NaN;
    const e = thrown(() => bookGenerator(s, { ...base, maxIndex: null, delay: 5 })) as NonFiniteValueError;
    expect(e.row).toBe(ROWS - 2);
    s.values[(ROWS - 2) * F + 1] = 0;
    s.values[(ROWS - 1) * F + 1] = NaN;
    expect(() => bookGenerator(s, { ...base, maxIndex: null, delay: 5 })).not.toThrow();
  });

  it('a target column that does not exist', () => {
    const e = thrown(() => bookGenerator(series(), { ...base, targetColumn: 'T (degC)' })) as UnknownColumnError;
    expect(e).toBeInstanceOf(UnknownColumnError);
    expect(e.column).toBe('T (degC)');
    expect(e.message).toContain('"T (degC)" does not exist');
    expect(thrown(() => bookGenerator(series(), { ...base, targetColumn: 3 }))).toBeInstanceOf(UnknownColumnError);
    const table = timeseriesTable({ time: [0, 1, 2], features: { a: [1, 2, 3] } });
    expect(thrown(() => bookGenerator(table, { lookback: 1, delay: 0, step: 1, targetColumn: 'TEMP' }))).toBeInstanceOf(UnknownColumnError);
    expect(thrown(() => bookGenerator(table, { lookback: 1, delay: 0, step: 1, columns: ['nope'] }))).toBeInstanceOf(UnknownColumnError);
  });
});

describe('TimeseriesGenerator and timeseriesDatasetFromArray: bad options get typed errors', () => {
  const targets = new Float32Array(ROWS);

  it('Keras: startIndex + length > endIndex', () => {
    const e = thrown(() => new TimeseriesGenerator(series(), targets, { length: 10, startIndex: 50, endIndex: 55 }));
    expect((e as WindowConfigError).option).toBe('startIndex');
    expect((e as Error).message).toContain('startIndex + length = 60 > endIndex = 55');
  });

  it('length ≥ rows, samplingRate ≤ 0, a batch index out of range, NaN targets', () => {
    expect((thrown(() => new TimeseriesGenerator(series(), targets, { length: ROWS })) as WindowConfigError).option).toBe('length');
    expect((thrown(() => new TimeseriesGenerator(series(), targets, { length: 5, samplingRate: 0 })) as WindowConfigError).option).toBe(
      'samplingRate',
    );
    const gen = new TimeseriesGenerator(series(), targets, { length: 5 });
    expect(thrown(() => gen.getItem(gen.length))).toBeInstanceOf(WindowConfigError);
    const bad = new Float32Array(ROWS);
    bad[99] = NaN;
    expect((thrown(() => new TimeseriesGenerator(series(), bad, { length: 5 })) as NonFiniteValueError).row).toBe(99);
  });

  it('timeseriesDatasetFromArray: stride ≤ 0, window longer than the rows, inverted range', () => {
    expect(
      (thrown(() => timeseriesDatasetFromArray(series(), null, { sequenceLength: 5, sequenceStride: 0 })) as WindowConfigError).option,
    ).toBe('sequenceStride');
    expect(
      (thrown(() => timeseriesDatasetFromArray(series(), null, { sequenceLength: 101, samplingRate: 2 })) as WindowConfigError).option,
    ).toBe('sequenceLength');
    expect(
      (thrown(() => timeseriesDatasetFromArray(series(), null, { sequenceLength: 5, startIndex: 50, endIndex: 40 })) as WindowConfigError)
        .option,
    ).toBe('startIndex');
  });
});

describe('input arrays that do not fit their shape', () => {
  it('SeriesInputError for a 3-D shape, a length mismatch, targets of another length', () => {
    const values = new Float32Array(12);
    expect(thrown(() => bookGenerator({ values, shape: [2, 3, 2] }, base))).toBeInstanceOf(SeriesInputError);
    expect((thrown(() => bookGenerator({ values, shape: [5, 3] }, base)) as Error).message).toContain('needs 15 values, got 12');
    expect((thrown(() => new TimeseriesGenerator(series(), new Float32Array(10), { length: 3 })) as Error).message).toContain(
      'same length',
    );
  });
});

describe('fitNormalization: bad input', () => {
  it('NaN in the fit rows, an empty range', () => {
    const s = series();
    s.values[10 * F] = NaN;
    expect((thrown(() => fitNormalization(s, { rows: 50 })) as NonFiniteValueError).row).toBe(10);
    expect(fitNormalization(s, { rows: [11, 50] }).rows).toEqual([11, 50]);
    expect(thrown(() => fitNormalization(series(), { rows: [50, 50] }))).toBeInstanceOf(WindowConfigError);
  });
});
