import { basename, join } from 'node:path';
import type { Table } from 'apache-arrow';
import { columnValues, featureNames, readJsonMeta, META, type TimeseriesInfo } from '@seqlearn/dataset';
import { predict } from '@seqlearn/models';
import { evaluateNaiveMethod, fitNormalization, normalize, type NormalizationStats } from '@seqlearn/timeseries';
import { UserError } from '../errors.js';
import type { RunContext } from '../pipeline/context.js';
import { reportStage } from '../pipeline/stages-log.js';
import { hashInputs, runStage } from '../stages/stage-cache.js';
import { inputIdentity, readSeries, type ColumnFlags } from './input.js';
import type { TrainResults } from './results.js';
import { fitWithEarlyStopping, reuseModelStage, writeRunOutputs, type TrainOutcome } from './run-output.js';
import { seriesColumns, writeSeriesCsv } from './series-file.js';
import { targetWindows, windowCount, windowShape, windowSpan, type WindowShape } from './series-windows.js';
import { describeSeries, formatInterval, seriesInterval } from './summary.js';
import { DEFAULT_MODEL, forecasterModel } from './task-models.js';

export interface ForecastOptions {
  data: string;
  columns: ColumnFlags;
  model?: string;
  lookback?: number;
  step?: number;
  delay?: number;
  epochs?: number;
  batchSize?: number;
  testSplit: number;
  validationSplit: number;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
const DEFAULT_EPOCHS = 20;
/** The book's epoch (listing 6.37): 500 batches, however long the series. */
const MAX_STEPS_PER_EPOCH = 500;
/** Test forecasts kept for the report's forecast-vs-actual plot. */
const PLOTTED = 500;

/**
 * The book's setting carried over to any step (listing 6.33): a day ahead, from ten days back,
 * one sample an hour. Daily or slower series look two weeks back and forecast the next row.
 */
export function defaultWindow(intervalMs: number): { lookback: number; step: number; delay: number } {
  if (intervalMs >= DAY) return { lookback: 14, step: 1, delay: 1 };
  const perDay = Math.max(1, Math.round(DAY / intervalMs));
  return { lookback: 10 * perDay, step: Math.max(1, Math.round(HOUR / intervalMs)), delay: perDay };
}

/** The target's unit: from the reader (a `name (unit)` header) when it knows one. */
function unitOf(table: Table, target: string): string | undefined {
  try {
    return readJsonMeta<TimeseriesInfo>(table, META.timeseries)?.units?.[target];
  } catch {
    return undefined;
  }
}

interface Ranges {
  train: [number, number];
  validation: [number, number];
  test: [number, number];
}

/** Target rows by time: the last `testSplit` for the test, the `validationSplit` before it for validation. */
function targetRanges(rows: number, w: WindowShape, testSplit: number, validationSplit: number, data: string): Ranges {
  const testStart = rows - Math.max(1, Math.round(rows * testSplit));
  const validationStart = testStart - Math.max(1, Math.round(testStart * validationSplit));
  const ranges: Ranges = { train: [0, validationStart], validation: [validationStart, testStart], test: [testStart, rows] };
  const span = windowSpan(w);
  for (const [name, range] of Object.entries(ranges)) {
    if (windowCount(w, range) < 1) {
      throw new UserError(
        `${data}: a lookback of ${w.lookback} rows and a delay of ${w.delay} need ${span + 1} rows before the first target, but the ${name} rows end at row ${range[1]} of ${rows}; use a shorter --lookback or --delay, or a longer series`,
      );
    }
  }
  return ranges;
}

export async function trainForecaster(ctx: RunContext, opts: ForecastOptions): Promise<TrainOutcome> {
  const started = performance.now();
  const target = opts.columns.target;
  if (target === undefined) throw new UserError('forecasting needs --target: the column to forecast');
  const modelName = opts.model ?? DEFAULT_MODEL.forecast;
  const spec = forecasterModel(modelName);

  const series = await runStage({
    runDir: ctx.runDir,
    name: 'series',
    kind: 'timeseries',
    inputs: {
      stage: 'series',
      input: inputIdentity(opts.data),
      timeColumn: opts.columns.timeColumn,
      timeFormat: opts.columns.timeFormat,
      target,
      reader: 1,
    },
    build: () => readSeries(opts.data, opts.columns, ctx.progress),
  });
  reportStage(ctx, 'series', series, basename(opts.data));
  for (const line of describeSeries(series.table, opts.data)) ctx.say(line);
  const all = featureNames(series.table);
  if (!all.includes(target))
    throw new UserError(
      `${opts.data}: no numeric column "${target}" to forecast; the numeric columns are ${all.filter((c) => !c.includes('=')).join(', ')}`,
    );

  const interval = seriesInterval(series.table);
  const defaults = defaultWindow(interval);
  const w = windowShape(opts.lookback ?? defaults.lookback, opts.step ?? defaults.step, opts.delay ?? defaults.delay);
  const rows = series.table.numRows;
  const ranges = targetRanges(rows, w, opts.testSplit, opts.validationSplit, opts.data);
  ctx.say(
    `windows: ${w.timesteps} steps of ${formatInterval(interval * w.step)} (lookback ${w.lookback} rows, step ${w.step}), forecasting ${target} ${w.delay} rows (${formatInterval(interval * w.delay)}) after a window's last row`,
  );

  // Fitted on the training rows only; a column constant there carries nothing and cannot be scaled.
  const fitted = fitNormalization(series.table, { rows: [0, ranges.train[1]] });
  const kept = fitted.columns.filter((_, i) => fitted.std[i] > 0);
  if (!kept.includes(target))
    throw new UserError(`${opts.data}: column "${target}" is constant over the training rows; there is nothing to forecast`);
  const dropped = fitted.columns.filter((c) => !kept.includes(c));
  const stats: NormalizationStats = {
    columns: kept,
    mean: kept.map((c) => fitted.mean[fitted.columns.indexOf(c)]),
    std: kept.map((c) => fitted.std[fitted.columns.indexOf(c)]),
    rows: [0, ranges.train[1]],
  };
  const normalized = await runStage({
    runDir: ctx.runDir,
    name: 'normalized',
    kind: 'timeseries',
    inputs: { stage: 'normalized', series: series.key, rows: stats.rows, columns: kept },
    build: async () => normalize(series.table, stats),
  });
  reportStage(
    ctx,
    'normalized',
    normalized,
    `mean/std of the ${ranges.train[1]} training rows${dropped.length ? `; left out, constant there: ${dropped.join(', ')}` : ''}`,
  );
  const targetIndex = kept.indexOf(target);
  const std = stats.std[targetIndex];
  const mean = stats.mean[targetIndex];
  const unit = unitOf(series.table, target);
  const inUnits = (v: number) => `${v.toFixed(3)}${unit ? ` ${unit}` : ''}`;

  const batchSize = opts.batchSize ?? 128;
  const windows = (range: [number, number], shuffle: boolean) =>
    targetWindows(normalized.table, w, range, { columns: kept, target, batchSize, shuffle, seed: ctx.seed });
  const counts = { train: windowCount(w, ranges.train), validation: windowCount(w, ranges.validation), test: windowCount(w, ranges.test) };
  ctx.say(
    `split: by time, ${counts.train} training, ${counts.validation} validation, ${counts.test} test windows (test targets from row ${ranges.test[0]})`,
  );

  const epochs = opts.epochs ?? DEFAULT_EPOCHS;
  const key = hashInputs({ stage: 'model', upstream: normalized.key, model: spec.builder, w, ranges, epochs, batchSize, seed: ctx.seed });
  const reused = await reuseModelStage(ctx, key);
  if (reused) return reused;

  let model;
  try {
    model = spec.build({ features: kept.length, timesteps: w.timesteps, seed: ctx.seed });
  } catch (error) {
    throw new UserError(`model ${modelName}: ${(error as Error).message}`);
  }
  const trainBatches = Math.ceil(counts.train / batchSize);
  const stepsPerEpoch = Math.min(trainBatches, MAX_STEPS_PER_EPOCH);
  ctx.say(
    `model: ${modelName} (${spec.builder}), ${model.countParams().toLocaleString('en-US')} parameters, up to ${epochs} epochs of ${stepsPerEpoch} batches of ${batchSize}`,
  );
  const { history, bestEpoch } = await fitWithEarlyStopping(
    ctx,
    key,
    model,
    windows(ranges.train, true),
    { epochs, stepsPerEpoch, validation: windows(ranges.validation, false) },
    3,
  );

  // The test figure comes from the same forecasts `seqlearn predict` writes, in the target's units.
  const testWindows = windows(ranges.test, false);
  const predictions = await predict(model, testWindows, { batchSize });
  const raw = columnValues(series.table, target).values;
  const time = series.table.getChild('time')!;
  const firstTarget = Math.max(ranges.test[0], windowSpan(w));
  let sum = 0;
  const plot = { time: [] as number[], actual: [] as number[], predicted: [] as number[] };
  for (let i = 0; i < predictions.shape[0]; i++) {
    const forecast = predictions.values[i] * std + mean;
    const actual = raw[firstTarget + i];
    sum += Math.abs(forecast - actual);
    if (i < PLOTTED) {
      plot.time.push(Number(time.get(firstTarget + i)));
      plot.actual.push(actual);
      plot.predicted.push(forecast);
    }
  }
  const mae = sum / predictions.shape[0];
  const naive = evaluateNaiveMethod(windows(ranges.test, false), {
    valSteps: testWindows.length,
    targetColumn: targetIndex,
    std,
    average: 'samples',
  });
  const baselineMae = naive.maeOriginal!;

  const testFile = join(ctx.runDir, 'test.csv');
  writeSeriesCsv(testFile, series.table, [ranges.test[0] - windowSpan(w), rows]);
  const results: TrainResults = {
    kind: 'train',
    task: 'forecast',
    title: `${basename(opts.data)}: forecasting ${target} ${w.delay} rows ahead`,
    data: opts.data,
    model: modelName,
    builder: spec.builder,
    test: { mae },
    baseline: { name: `common-sense baseline (${target} ${w.delay} rows later = its value at the window's last row)`, mae: baselineMae },
    rows: counts,
    target,
    ...(unit ? { unit } : {}),
    forecast: plot,
    epochs: { run: history.epoch.length, best: bestEpoch },
    config: {
      lookback: w.lookback,
      step: w.step,
      delay: w.delay,
      timesteps: w.timesteps,
      intervalMs: interval,
      epochs,
      batchSize,
      testSplit: opts.testSplit,
      validationSplit: opts.validationSplit,
      features: kept,
    },
    seed: ctx.seed,
    backend: ctx.backend.name,
    seconds: (performance.now() - started) / 1000,
    notes: [
      `test MAE ${inUnits(mae)} over ${counts.test} windows; the common-sense baseline ${inUnits(baselineMae)}`,
      `held-out rows: ${testFile}`,
    ],
  };
  const outcome = await writeRunOutputs(ctx, {
    key,
    model,
    history,
    results,
    bundleConfig: {
      task: 'series',
      features: kept,
      normalization: { mean: stats.mean, std: stats.std },
      targetFeature: targetIndex,
      target,
      lookback: w.lookback,
      step: w.step,
      delay: w.delay,
      timesteps: w.timesteps,
      intervalMs: interval,
      ...(unit ? { unit } : {}),
      ...seriesColumns(series.table),
    },
  });
  model.dispose();
  return outcome;
}
