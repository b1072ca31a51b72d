// The book's common-sense baseline (listings 6.32–6.35) on the Beijing PM2.5 weather data,
// the hourly stand-in for Jena: predict the temperature 24 hours ahead from the last 5 days.
//
//   node --import tsx --conditions=@seqlearn/source examples/prsa-baseline.ts [PRSA csv]
//
// (or `pnpm example:prsa` in this package). Normalization is fitted on the first 60% of the
// rows; the baseline is evaluated on the next 20%, as the book does with rows 200,001–300,000.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readWeatherCsv } from '@seqlearn/corpora';
import { bookGenerator, evaluateNaiveMethod, evaluateSeasonalNaive, fitNormalization, normalize } from '@seqlearn/timeseries';

const sharedDir = process.env.SEQLEARN_SHARED_DIR ?? fileURLToPath(new URL('../../../../shared', import.meta.url));
const csv = process.argv[2] ?? join(sharedDir, 'data', 'PRSA_data_2010.1.1-2014.12.31.csv');

const table = await readWeatherCsv(csv, {
  time: { columns: { year: 'year', month: 'month', day: 'day', hour: 'hour' } },
  categorical: ['cbwd'],
  ignore: ['No'],
  missing: 'interpolate',
});

const rows = table.numRows;
const trainRows = Math.floor(rows * 0.6);
const valEnd = Math.floor(rows * 0.8);
const lookback = 120; // 5 days of hourly rows
const step = 1;
const delay = 24; // a day ahead
const batchSize = 128;

const stats = fitNormalization(table, { rows: trainRows });
const normalized = normalize(table, stats);

const valOptions = { lookback, step, delay, minIndex: trainRows + 1, maxIndex: valEnd, batchSize, targetColumn: 'TEMP' };
const valSteps = Math.floor((valEnd - (trainRows + 1) - lookback) / batchSize);

const naive = evaluateNaiveMethod(bookGenerator(normalized, valOptions), { valSteps });
const seasonal = evaluateSeasonalNaive(bookGenerator(normalized, valOptions), { valSteps, period: 24 });

const t = stats.columns.indexOf('TEMP');
console.log(
  `PRSA: ${rows} rows, ${stats.columns.length} features; normalization on rows [0, ${trainRows}), validation rows ${trainRows + 1}–${valEnd - 1}`,
);
console.log(`TEMP mean ${stats.mean[t].toFixed(3)} °C, std ${stats.std[t].toFixed(3)} °C`);
console.log(`lookback ${lookback}, step ${step}, delay ${delay}, batch ${batchSize}, ${valSteps} validation batches`);
console.log(`common-sense baseline (last value):  MAE ${naive.mae.toFixed(4)} normalized = ${naive.maeOriginal!.toFixed(3)} °C`);
console.log(
  `seasonal naive (same hour, 2 days before the target): MAE ${seasonal.mae.toFixed(4)} normalized = ${seasonal.maeOriginal!.toFixed(3)} °C`,
);
