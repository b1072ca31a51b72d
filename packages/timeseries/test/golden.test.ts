import { describe, expect, it } from 'vitest';
import { timeseriesTable } from '@seqlearn/dataset';
import { hasGolden, SKIP_WITHOUT_GOLDEN } from '@seqlearn/vitest-preset/golden';
import { bookGenerator, evaluateNaiveMethod, fitNormalization, normalize, TimeseriesGenerator } from '../src/index.js';
import { expectMatches, loadGolden, seriesOf, type Nested } from './helpers.js';

interface TimeseriesGeneratorCase {
  data: number[][];
  targets: number[];
  config: {
    length: number;
    sampling_rate: number;
    stride: number;
    start_index: number;
    end_index?: number;
    batch_size: number;
    reverse: boolean;
  };
  length: number;
  batches: [Nested, Nested][];
}

interface BookGeneratorCase {
  data: number[][];
  config: {
    lookback: number;
    delay: number;
    min_index: number;
    max_index: number | null;
    shuffle: boolean;
    batch_size: number;
    step: number;
  };
  first_batches: [Nested, Nested][];
}

interface NormalizeAndBaseline {
  data: number[][];
  train_rows: number;
  mean: number[];
  std: number[];
  baseline: {
    lookback: number;
    step: number;
    delay: number;
    batch_size: number;
    min_index: number;
    max_index: number;
    val_steps: number;
    mae: number;
  };
}

describe.skipIf(!hasGolden)(`golden: timeseries_generator.json ${hasGolden ? '' : SKIP_WITHOUT_GOLDEN}`, () => {
  const cases = hasGolden ? loadGolden<TimeseriesGeneratorCase[]>('timeseries_generator.json') : [];

  it('has cases', () => expect(cases.length).toBeGreaterThan(0));

  cases.forEach((c, n) => {
    it(`case ${n}: ${JSON.stringify(c.config)}`, () => {
      const gen = new TimeseriesGenerator(seriesOf(c.data), Float64Array.from(c.targets), {
        length: c.config.length,
        samplingRate: c.config.sampling_rate,
        stride: c.config.stride,
        startIndex: c.config.start_index,
        endIndex: c.config.end_index ?? null,
        batchSize: c.config.batch_size,
        reverse: c.config.reverse,
      });
      expect(gen.length).toBe(c.length);
      c.batches.forEach(([samples, targets], i) => {
        const [x, y] = gen.getItem(i);
        expectMatches(x, samples, `batch ${i} samples`);
        expectMatches(y, targets, `batch ${i} targets`);
      });
      // Iteration yields the same batches as random access, in order.
      expect([...gen].length).toBe(c.length);
    });
  });
});

describe.skipIf(!hasGolden)(`golden: book_generator.json ${hasGolden ? '' : SKIP_WITHOUT_GOLDEN}`, () => {
  const cases = hasGolden ? loadGolden<BookGeneratorCase[]>('book_generator.json') : [];

  it('has cases, some with max_index null', () => {
    expect(cases.length).toBeGreaterThan(0);
    expect(cases.some((c) => c.config.max_index === null)).toBe(true);
  });

  cases.forEach((c, n) => {
    const options = {
      lookback: c.config.lookback,
      delay: c.config.delay,
      minIndex: c.config.min_index,
      maxIndex: c.config.max_index,
      shuffle: c.config.shuffle,
      batchSize: c.config.batch_size,
      step: c.config.step,
    };
    it(`case ${n} (array): ${JSON.stringify(c.config)}`, () => {
      const gen = bookGenerator(seriesOf(c.data), options);
      c.first_batches.forEach(([samples, targets], i) => {
        const [x, y] = gen.next().value;
        expectMatches(x, samples, `batch ${i} samples`);
        expectMatches(y, targets, `batch ${i} targets`);
      });
    });
    it(`case ${n} (table columns)`, () => {
      const features = Object.fromEntries(c.data[0].map((_, f) => [`f${f}`, c.data.map((row) => row[f])]));
      const table = timeseriesTable({ time: c.data.map((_, i) => i * 3_600_000), features });
      const gen = bookGenerator(table, options);
      c.first_batches.forEach(([samples, targets], i) => {
        const [x, y] = gen.next().value;
        expectMatches(x, samples, `batch ${i} samples`);
        expectMatches(y, targets, `batch ${i} targets`);
      });
    });
  });
});

describe.skipIf(!hasGolden)(`golden: normalize_and_baseline.json ${hasGolden ? '' : SKIP_WITHOUT_GOLDEN}`, () => {
  const golden = hasGolden ? loadGolden<NormalizeAndBaseline>('normalize_and_baseline.json') : null;

  it('mean and population std over the training rows, then the naive baseline MAE (float64 array)', () => {
    const g = golden!;
    const stats = fitNormalization(seriesOf(g.data), { rows: g.train_rows });
    expect(stats.rows).toEqual([0, g.train_rows]);
    stats.mean.forEach((m, i) => expect(Math.abs(m - g.mean[i])).toBeLessThan(1e-6));
    stats.std.forEach((s, i) => expect(Math.abs(s - g.std[i])).toBeLessThan(1e-6));

    const normalized = normalize(seriesOf(g.data), stats);
    const b = g.baseline;
    const gen = bookGenerator(normalized, {
      lookback: b.lookback,
      step: b.step,
      delay: b.delay,
      minIndex: b.min_index,
      maxIndex: b.max_index,
      batchSize: b.batch_size,
      shuffle: false,
    });
    const result = evaluateNaiveMethod(gen, { valSteps: b.val_steps, normalization: stats, targetName: '1' });
    expect(Math.abs(result.mae - b.mae)).toBeLessThan(1e-6);
    expect(result.batches).toBe(b.val_steps);
    expect(result.maeOriginal! / result.mae).toBeCloseTo(g.std[1], 9);
  });

  it('the same through a Float32 timeseries table, stats read back from its metadata', () => {
    const g = golden!;
    const names = ['p', 'T', 'rh'];
    const features = Object.fromEntries(names.map((name, f) => [name, g.data.map((row) => row[f])]));
    const table = timeseriesTable({ time: g.data.map((_, i) => i * 600_000), features }, { units: { T: 'degC' } });
    const stats = fitNormalization(table, { rows: [0, g.train_rows] });
    // Float32 storage rounds each value by up to 6e-8 relative: compare relatively.
    stats.mean.forEach((m, i) => expect(Math.abs(m - g.mean[i]) / Math.abs(g.mean[i])).toBeLessThan(1e-6));
    stats.std.forEach((s, i) => expect(Math.abs(s - g.std[i]) / g.std[i]).toBeLessThan(1e-6));

    const normalized = normalize(table, stats);
    const b = g.baseline;
    const gen = bookGenerator(normalized, {
      lookback: b.lookback,
      step: b.step,
      delay: b.delay,
      minIndex: b.min_index,
      maxIndex: b.max_index,
      batchSize: b.batch_size,
      targetColumn: 'T',
    });
    expect(gen.normalization?.columns).toEqual(names);
    const result = evaluateNaiveMethod(gen, { valSteps: b.val_steps });
    expect(Math.abs(result.mae - b.mae)).toBeLessThan(1e-6);
    expect(Math.abs(result.maeOriginal! - b.mae * g.std[1])).toBeLessThan(1e-5);
  });
});
