import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readWeatherCsv } from '@seqlearn/corpora';
import { hasShared, sharedDataPath, SKIP_WITHOUT_SHARED } from '@seqlearn/vitest-preset/shared';
import { bookGenerator, evaluateNaiveMethod, fitNormalization, normalize } from '../src/index.js';

describe.skipIf(!hasShared)(`PRSA: the common-sense baseline, TEMP 24 h ahead ${hasShared ? '' : SKIP_WITHOUT_SHARED}`, () => {
  it('matches listing 6.35 written out over the raw TEMP column', async () => {
    const path = sharedDataPath('PRSA_data_2010.1.1-2014.12.31.csv');
    const table = await readWeatherCsv(path, {
      time: { columns: { year: 'year', month: 'month', day: 'day', hour: 'hour' } },
      categorical: ['cbwd'],
      ignore: ['No'],
      missing: 'interpolate',
    });
    const rows = table.numRows;
    const trainRows = Math.floor(rows * 0.6);
    const valEnd = Math.floor(rows * 0.8);
    const lookback = 120;
    const delay = 24;
    const batchSize = 128;
    const valSteps = Math.floor((valEnd - (trainRows + 1) - lookback) / batchSize);
    const stats = fitNormalization(table, { rows: trainRows });
    const result = evaluateNaiveMethod(
      bookGenerator(normalize(table, stats), {
        lookback,
        step: 1,
        delay,
        minIndex: trainRows + 1,
        maxIndex: valEnd,
        batchSize,
        targetColumn: 'TEMP',
      }),
      { valSteps },
    );

    // Independently: TEMP straight from the CSV text, float64, the book's loop by hand.
    const lines = readFileSync(path, 'utf8').trim().split(/\r?\n/);
    const col = lines[0].split(',').indexOf('TEMP');
    const temp = lines.slice(1).map((line) => Number(line.split(',')[col]));
    expect(temp.length).toBe(rows);
    const mean = temp.slice(0, trainRows).reduce((a, b) => a + b, 0) / trainRows;
    const std = Math.sqrt(temp.slice(0, trainRows).reduce((a, b) => a + (b - mean) ** 2, 0) / trainRows);
    const z = temp.map((t) => (t - mean) / std);
    let i = trainRows + 1 + lookback;
    let total = 0;
    for (let s = 0; s < valSteps; s++) {
      if (i + batchSize >= valEnd) i = trainRows + 1 + lookback;
      const end = Math.min(i + batchSize, valEnd);
      let sum = 0;
      for (let r = i; r < end; r++) sum += Math.abs(z[r - 1] - z[r + delay]);
      total += sum / (end - i);
      i = end;
    }
    expect(result.mae).toBeCloseTo(total / valSteps, 5);
    expect(result.maeOriginal!).toBeCloseTo((total / valSteps) * std, 4);
  });
});
