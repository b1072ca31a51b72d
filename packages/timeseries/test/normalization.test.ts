import { describe, expect, it } from 'vitest';
import { columnValues, META, readJsonMeta, timeseriesTable, type TimeseriesInfo } from '@seqlearn/dataset';
import {
  denormalize,
  denormalizeValue,
  fitNormalization,
  normalizationOf,
  normalize,
  SeriesInputError,
  UnknownColumnError,
} from '../src/index.js';

const ROWS = 500;
const temp = Float32Array.from({ length: ROWS }, (_, i) => 10 + 8 * Math.sin(i / 24) + (i % 7));
const pres = Float32Array.from({ length: ROWS }, (_, i) => 1000 + ((i * 37) % 11));
const table = () =>
  timeseriesTable(
    { time: Array.from({ length: ROWS }, (_, i) => i * 3_600_000), features: { TEMP: temp, PRES: pres } },
    { units: { TEMP: 'degC', PRES: 'hPa' }, metadata: { 'seqlearn.source': 'test' } },
  );

/** numpy's mean and std (ddof 0), written out independently in float64. */
function npStats(x: ArrayLike<number>, start: number, end: number): [number, number] {
  const xs = Array.from(x).slice(start, end);
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return [mean, Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length)];
}

describe('normalization on a timeseries table', () => {
  it('fits population std on a row range and records it in the table metadata', () => {
    const stats = fitNormalization(table(), { rows: [50, 300] });
    expect(stats.columns).toEqual(['TEMP', 'PRES']);
    const [m, s] = npStats(temp, 50, 300);
    expect(stats.mean[0]).toBeCloseTo(m, 9);
    expect(stats.std[0]).toBeCloseTo(s, 9);
    expect(stats.rows).toEqual([50, 300]);

    const normalized = normalize(table(), stats);
    const info = readJsonMeta<TimeseriesInfo>(normalized, META.timeseries)!;
    expect(info.units).toEqual({ TEMP: 'degC', PRES: 'hPa' });
    expect(info.normalization).toEqual({
      mean: { TEMP: stats.mean[0], PRES: stats.mean[1] },
      std: { TEMP: stats.std[0], PRES: stats.std[1] },
      rows: [50, 300],
    });
    expect(normalized.schema.metadata.get('seqlearn.source')).toBe('test');
    expect(normalizationOf(normalized)).toEqual(stats);

    const t = columnValues(normalized, 'TEMP').values as Float32Array;
    expect(t).toBeInstanceOf(Float32Array);
    expect(t[123]).toBeCloseTo((temp[123] - m) / s, 6);
    // Over the fit rows the normalized column has mean 0 and std 1.
    const [nm, ns] = npStats(t, 50, 300);
    expect(nm).toBeCloseTo(0, 5);
    expect(ns).toBeCloseTo(1, 5);
  });

  it('inverts: denormalize uses the stats in the metadata and drops them', () => {
    const normalized = normalize(table(), fitNormalization(table(), { rows: 400 }));
    const back = denormalize(normalized);
    const t = columnValues(back, 'TEMP').values;
    for (let i = 0; i < ROWS; i += 17) expect(t[i]).toBeCloseTo(temp[i], 4);
    expect(readJsonMeta<TimeseriesInfo>(back, META.timeseries)!.normalization).toBeUndefined();
    expect(() => denormalize(table())).toThrow(SeriesInputError);
  });

  it('normalizes only the chosen columns, shares the others', () => {
    const stats = fitNormalization(table(), { columns: ['TEMP'] });
    const normalized = normalize(table(), stats);
    expect(columnValues(normalized, 'PRES').values).toEqual(pres);
    expect(denormalizeValue(0, stats, 'TEMP')).toBeCloseTo(stats.mean[0], 12);
    expect(() => denormalizeValue(0, stats, 'PRES')).toThrow(UnknownColumnError);
  });

  it('a table of several record batches', () => {
    const two = table().concat(table());
    expect(two.batches.length).toBe(2);
    const stats = fitNormalization(two, { rows: [400, 600] });
    const [m] = npStats([...temp, ...temp], 400, 600);
    expect(stats.mean[0]).toBeCloseTo(m, 9);
    const normalized = normalize(two, stats);
    expect(normalized.numRows).toBe(2 * ROWS);
    expect((columnValues(normalized, 'TEMP').values as Float32Array)[ROWS + 3]).toBeCloseTo((temp[3] - stats.mean[0]) / stats.std[0], 5);
  });

  it('a constant column cannot be normalized', () => {
    const flat = timeseriesTable({ time: [0, 1, 2], features: { a: [1, 1, 1] } });
    expect(() => normalize(flat, fitNormalization(flat))).toThrow(/std 0/);
  });
});

describe('normalization on arrays', () => {
  it('keeps the array type and round-trips', () => {
    const values = Float64Array.from({ length: 40 }, (_, i) => i * i);
    const data = { values, shape: [20, 2] as [number, number] };
    const stats = fitNormalization(data, { rows: [0, 10] });
    const [m1, s1] = npStats(
      Array.from({ length: 20 }, (_, r) => values[r * 2 + 1]),
      0,
      10,
    );
    expect(stats.mean[1]).toBeCloseTo(m1, 12);
    expect(stats.std[1]).toBeCloseTo(s1, 12);
    const n = normalize(data, stats);
    expect(n.values).toBeInstanceOf(Float64Array);
    const back = denormalize(n, stats);
    back.values.forEach((v, i) => expect(v).toBeCloseTo(values[i], 9));
  });
});
