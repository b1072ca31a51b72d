import { describe, expect, it } from 'vitest';
import { timeseriesTable } from '@seqlearn/dataset';
import {
  bookGenerator,
  evaluateNaiveMethod,
  evaluateSeasonalNaive,
  fitNormalization,
  normalize,
  TimeseriesGenerator,
  timeseriesDatasetFromArray,
  WindowConfigError,
} from '../src/index.js';

// An hourly series with a daily cycle, a trend and deterministic noise.
const ROWS = 2000;
const temp = Array.from({ length: ROWS }, (_, i) => 5 + 10 * Math.sin((2 * Math.PI * i) / 24) + i / 500 + (((i * 7919) % 13) - 6) / 4);
const other = Array.from({ length: ROWS }, (_, i) => (i * 31) % 17);
const table = () => timeseriesTable({ time: temp.map((_, i) => i * 3_600_000), features: { other, TEMP: temp } });

/** Listing 6.35 written out over plain arrays: mean over batches of the batch MAE. */
function reference(
  series: number[],
  pred: (row: number) => number,
  options: { lookback: number; delay: number; minIndex: number; maxIndex: number; batchSize: number; valSteps: number },
): number {
  let i = options.minIndex + options.lookback;
  let total = 0;
  for (let s = 0; s < options.valSteps; s++) {
    if (i + options.batchSize >= options.maxIndex) i = options.minIndex + options.lookback;
    const end = Math.min(i + options.batchSize, options.maxIndex);
    let sum = 0;
    for (let r = i; r < end; r++) sum += Math.abs(pred(r) - series[r + options.delay]);
    total += sum / (end - i);
    i = end;
  }
  return total / options.valSteps;
}

describe('baselines on a normalized table (MAE normalized and in original units)', () => {
  const stats = fitNormalization(table(), { rows: 1200 });
  const normalized = normalize(table(), stats);
  const z = temp.map((t) => (t - stats.mean[1]) / stats.std[1]);
  const options = { lookback: 48, step: 1, delay: 24, minIndex: 1201, maxIndex: 1800, batchSize: 32, targetColumn: 'TEMP' };
  const valSteps = Math.floor((1800 - 1201 - 48) / 32);

  it('evaluateNaiveMethod: the last value in the window', () => {
    const result = evaluateNaiveMethod(bookGenerator(normalized, options), { valSteps });
    const expected = reference(z, (r) => z[r - 1], { ...options, valSteps });
    expect(result.mae).toBeCloseTo(expected, 5);
    expect(result.maeOriginal).toBeCloseTo(expected * stats.std[1], 4);
    expect(result.batches).toBe(valSteps);
  });

  it('evaluateSeasonalNaive: the latest value a whole number of periods before the target', () => {
    // delay 24 = period: the same hour one day before the target is row r, not yet seen; two days back is r - 24.
    const result = evaluateSeasonalNaive(bookGenerator(normalized, options), { valSteps, period: 24 });
    const expected = reference(z, (r) => z[r + 24 - 48], { ...options, valSteps });
    expect(result.mae).toBeCloseTo(expected, 5);
    expect(result.maeOriginal).toBeCloseTo(expected * stats.std[1], 4);
    // A daily cycle: the seasonal forecast beats the last value here.
    const naive = evaluateNaiveMethod(bookGenerator(normalized, options), { valSteps });
    expect(result.mae).toBeLessThan(naive.mae);

    // With a short delay the value one period back is in the window.
    const short = { ...options, delay: 3, step: 3 };
    const r2 = evaluateSeasonalNaive(bookGenerator(normalized, short), { valSteps, period: 24 });
    expect(r2.mae).toBeCloseTo(
      reference(z, (r) => z[r + 3 - 24], { ...short, valSteps }),
      5,
    );
  });

  it('reversed windows and explicit geometry for other sources', () => {
    const reversed = evaluateSeasonalNaive(bookGenerator(normalized, { ...options, reverse: true }), { valSteps, period: 24 });
    const plain = evaluateSeasonalNaive(bookGenerator(normalized, options), { valSteps, period: 24 });
    expect(reversed.mae).toBeCloseTo(plain.mae, 9);
    const naiveReversed = evaluateNaiveMethod(bookGenerator(normalized, { ...options, reverse: true }), { valSteps });
    expect(naiveReversed.mae).toBeCloseTo(evaluateNaiveMethod(bookGenerator(normalized, options), { valSteps }).mae, 9);
    // A TimeseriesGenerator with targets 24 rows on: the naive baseline with an explicit target column and std.
    const values = Float64Array.from(z.flatMap((v, i) => [other[i], v]));
    const gen = new TimeseriesGenerator(
      { values, shape: [ROWS, 2] },
      Float64Array.from({ length: ROWS }, (_, i) => z[Math.min(i + 24, ROWS - 1)]),
      {
        length: 48,
        startIndex: 1201 - 48,
        endIndex: 1700,
        batchSize: 32,
      },
    );
    const viaTg = evaluateNaiveMethod(gen, { valSteps: 5, targetColumn: 1, std: stats.std[1] });
    expect(viaTg.maeOriginal).toBeCloseTo(viaTg.mae * stats.std[1], 12);
    expect(() => evaluateSeasonalNaive(gen, { valSteps: 5, period: 24, targetColumn: 1 })).toThrow(WindowConfigError);
    expect(evaluateSeasonalNaive(gen, { valSteps: 5, period: 24, targetColumn: 1, lookback: 48, step: 1, delay: 24 }).mae).toBeGreaterThan(
      0,
    );
  });

  it('unnormalized input has no original-units MAE unless a std is given', () => {
    const result = evaluateNaiveMethod(bookGenerator(table(), options), { valSteps: 3 });
    expect(result.maeOriginal).toBeNull();
  });

  it('a period that cannot be seen from the window is an error', () => {
    expect(() => evaluateSeasonalNaive(bookGenerator(normalized, options), { valSteps: 1, period: 100 })).toThrow(WindowConfigError);
  });
});

describe('evaluateNaiveMethod, averaged over samples', () => {
  it('weights every window alike, so a short last batch counts by its size', () => {
    const values = Float32Array.from({ length: 50 }, (_, i) => Math.sin(i / 3) * 10 + i);
    const data = { values, shape: [50, 1] as const };
    // Windows of 4 rows; the target is 2 rows after each window's last row.
    const starts = 50 - 4 - 2 + 1;
    const targets = Float32Array.from({ length: 50 }, (_, s) => (s < starts ? values[s + 3 + 2] : 0));
    const dataset = () => timeseriesDatasetFromArray(data, targets, { sequenceLength: 4, batchSize: 16, endIndex: starts + 3 });
    let sum = 0;
    for (let s = 0; s < starts; s++) sum += Math.abs(values[s + 3] - values[s + 5]);
    const batches = dataset().length;
    expect(dataset().numSamples).toBe(starts);
    const bySample = evaluateNaiveMethod(dataset(), { valSteps: batches, targetColumn: 0, average: 'samples' });
    expect(bySample.mae).toBeCloseTo(sum / starts, 5);
    const byBatch = evaluateNaiveMethod(dataset(), { valSteps: batches, targetColumn: 0 });
    expect(byBatch.mae).not.toBeCloseTo(bySample.mae, 5);
  });
});
