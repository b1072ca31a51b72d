// Listing 6.39 on the Beijing PM2.5 (PRSA) hourly series, the stand-in for Jena: forecast the
// temperature (TEMP) 24 hours ahead from the last 5 days, GRU(32) → Dense(1), rmsprop, MAE,
// beside the common-sense baseline of listing 6.35 (tomorrow = the window's last value).
// Run: node --import tsx --conditions=@seqlearn/source examples/prsa-gru.ts
// The book's size is STEPS=500 EPOCHS=20 (40 for the regularized models); RUN_NAME names the
// output files (default prsa-gru); MODEL picks the network: gruTimeseries (listing 6.39, the
// default), gruDropoutTimeseries (6.40), stackedGruTimeseries (6.41), bidirectionalGruTimeseries
// (6.44) or convGruTimeseries (6.47).
import { join } from 'node:path';
import { initBackend } from '@seqlearn/backend';
import { readWeatherCsv } from '@seqlearn/corpora';
import { bookGenerator, evaluateNaiveMethod, fitNormalization, normalize } from '@seqlearn/timeseries';
import {
  bidirectionalGruTimeseries,
  convGruTimeseries,
  evaluate,
  gruDropoutTimeseries,
  gruTimeseries,
  saveBundle,
  saveHistory,
  stackedGruTimeseries,
  train,
} from '../src/index.js';
import { PRSA, epochLog, outDir, writeResult } from './common.js';

// PRSA is hourly, Jena every 10 minutes: the book's 10 days / hourly steps / 24 h ahead
// (lookback 1440, step 6, delay 144) become 5 days / 3-hourly steps / 24 h ahead here.
const config = {
  lookback: 120,
  step: 3,
  delay: 24,
  batchSize: 128,
  target: 'TEMP',
  // 2010–2012 train, 2013 validation, 2014 test (rows are hourly from 2010-01-01 00:00).
  trainRows: [0, 26303] as const,
  valRows: [26304, 35063] as const,
  stepsPerEpoch: Number(process.env.STEPS ?? 100),
  epochs: Number(process.env.EPOCHS ?? 6),
  seed: 1,
  recurrentImpl: (process.env.RECURRENT_IMPL ?? 'fused') as 'fused' | 'stock',
};

const runName = process.env.RUN_NAME ?? 'prsa-gru';
const started = performance.now();
const backend = await initBackend();
const raw = await readWeatherCsv(PRSA, {
  time: { columns: { year: 'year', month: 'month', day: 'day', hour: 'hour' } },
  categorical: ['cbwd'],
  ignore: ['No'],
  missing: 'interpolate',
});
const stats = fitNormalization(raw, { rows: [config.trainRows[0], config.trainRows[1] + 1] });
const data = normalize(raw, stats);
const features = stats.columns.length;
const targetIndex = stats.columns.indexOf(config.target);

const windows = (minIndex: number, maxIndex: number, shuffle: boolean) =>
  bookGenerator(data, {
    lookback: config.lookback,
    delay: config.delay,
    step: config.step,
    minIndex,
    maxIndex,
    shuffle,
    batchSize: config.batchSize,
    targetColumn: config.target,
    seed: config.seed,
  });
const valSteps = Math.floor((config.valRows[1] - config.valRows[0] - config.lookback) / config.batchSize);

const baseline = evaluateNaiveMethod(windows(config.valRows[0], config.valRows[1], false), { valSteps });

const builders = { gruTimeseries, gruDropoutTimeseries, stackedGruTimeseries, bidirectionalGruTimeseries, convGruTimeseries };
const modelName = (process.env.MODEL ?? 'gruTimeseries') as keyof typeof builders;
if (!(modelName in builders)) throw new Error(`MODEL must be one of ${Object.keys(builders).join(', ')}`);
const model = builders[modelName]({ features, timesteps: null, seed: config.seed, recurrentImpl: config.recurrentImpl });
const history = await train(model, windows(config.trainRows[0], config.trainRows[1], true), {
  epochs: config.epochs,
  stepsPerEpoch: config.stepsPerEpoch,
  validation: windows(config.valRows[0], config.valRows[1], false),
  validationSteps: valSteps,
  seed: config.seed,
  callbacks: [epochLog(runName)],
});
await saveHistory(`${outDir}/${runName}.history.json`, history);
// A fresh generator, so the final figure covers exactly the batches the baseline saw.
const val = await evaluate(model, windows(config.valRows[0], config.valRows[1], false), { steps: valSteps });
const std = stats.std[targetIndex];
await saveBundle(join(outDir, `${runName}.bundle`), {
  model,
  config: {
    task: 'series',
    features: stats.columns,
    normalization: { mean: stats.mean, std: stats.std },
    targetFeature: targetIndex,
    lookback: config.lookback,
    step: config.step,
    delay: config.delay,
  },
  history,
});
writeResult(runName, {
  experiment: `PRSA ${modelName} vs common-sense baseline (listing 6.35)`,
  backend: backend.name,
  config,
  features: stats.columns,
  valSteps,
  baselineValMae: baseline.mae,
  baselineValMaeDegC: baseline.mae * std,
  modelValMae: val.loss,
  modelValMaeDegC: val.loss * std,
  bestEpochValMae: Math.min(...history.history.val_loss),
  beatsBaseline: val.loss < baseline.mae,
  book: { jena: { baselineMae: 0.29, gruValMae: 0.265 } },
  seconds: Math.round((performance.now() - started) / 1000),
});
