import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import type * as tfjs from '@tensorflow/tfjs';
import { readJenaClimate, readPrsa, readSeattleWeather, type ReadProgress } from '@seqlearn/corpora';
import { columnValues, timeValues } from '@seqlearn/dataset';
import {
  bidirectionalGruTimeseries,
  conv1dTimeseries,
  convGruTimeseries,
  denseTimeseries,
  evaluate,
  gruDropoutTimeseries,
  gruTimeseries,
  stackedGruTimeseries,
} from '@seqlearn/models';
import { bookGenerator, evaluateNaiveMethod, fitNormalization, normalize, normalizationOf } from '@seqlearn/timeseries';
import { fileIdentity, locateWeather } from '../data/locate.js';
import type { Experiment } from '../experiments/catalog.js';
import type { SeriesConfig, WeatherSource } from '../experiments/profiles.js';
import { runStage } from '../stages/stage-cache.js';
import type { RunContext } from './context.js';
import type { PreparedRun } from './prepared.js';
import { reportStage } from './stages-log.js';

interface SeriesLayout {
  target: string;
  unit: string;
  /** [start, end) rows. */
  train: [number, number];
  val: [number, number];
  split: string;
}

/** Train / validation rows by calendar, as the book's 200,000 / 100,000 rows of Jena. */
function layout(source: WeatherSource, rows: number): SeriesLayout {
  switch (source) {
    case 'seattle':
      // 2012–2013 train, 2014 validation (daily rows from 2012-01-01; 2012 is a leap year).
      return {
        target: 'temp_max',
        unit: '°C',
        train: [0, 731],
        val: [731, Math.min(1096, rows)],
        split: 'train 2012–2013, validation 2014',
      };
    case 'prsa':
      // 2010–2012 train, 2013 validation (hourly rows from 2010-01-01 00:00).
      return {
        target: 'TEMP',
        unit: '°C',
        train: [0, 26304],
        val: [26304, Math.min(35064, rows)],
        split: 'train 2010–2012, validation 2013',
      };
    case 'jena':
      return {
        target: 'T (degC)',
        unit: '°C',
        train: [0, 200001],
        val: [200001, Math.min(300001, rows)],
        split: "the book's rows: train 0–200,000, validation 200,001–300,000",
      };
  }
}

async function readSeries(ctx: RunContext, source: WeatherSource, path: string): Promise<Table> {
  let task: ReturnType<RunContext['progress']['task']> | undefined;
  const onProgress = (p: ReadProgress) => {
    task ??= ctx.progress.task('reading weather', Math.max(1, Math.round(p.totalBytes / 1e3)), 'kB');
    task.update(Math.round(p.bytesRead / 1e3), `${p.records} rows`);
  };
  const table =
    source === 'jena'
      ? await readJenaClimate(path)
      : source === 'prsa'
        ? await readPrsa(path, { onProgress })
        : await readSeattleWeather(path, { onProgress });
  task?.finish(`${table.numRows} rows`);
  return table;
}

const featureNames = (table: Table) => table.schema.fields.map((f) => f.name).filter((n) => n !== 'time');

/** The last validation window in the file's own units, as a CSV `seqlearn predict` takes. */
function sampleWindowCsv(raw: Table, end: number, cfg: SeriesConfig): string {
  const names = featureNames(raw);
  const cols = names.map((n) => columnValues(raw, n).values);
  const lines = [names.map((n) => (/[",]/.test(n) ? `"${n.replaceAll('"', '""')}"` : n)).join(',')];
  for (let row = end - cfg.lookback; row < end; row += cfg.step)
    lines.push(cols.map((c) => String(Number(Number(c[row]).toPrecision(7)))).join(','));
  return `${lines.join('\n')}\n`;
}

export async function prepareWeather(ctx: RunContext, exp: Experiment, cfg: SeriesConfig): Promise<PreparedRun> {
  const file = locateWeather(ctx.dataDir);
  const series = await runStage({
    runDir: ctx.runDir,
    name: 'series',
    kind: 'timeseries',
    inputs: { stage: 'series', source: file.source, file: fileIdentity(file.path), reader: 2 },
    build: () => readSeries(ctx, file.source, file.path),
  });
  reportStage(ctx, 'series', series, file.description);
  const lay = layout(file.source, series.table.numRows);

  const normalized = await runStage({
    runDir: ctx.runDir,
    name: 'normalized',
    kind: 'timeseries',
    inputs: { stage: 'normalized', series: series.key, rows: lay.train },
    build: async () => normalize(series.table, fitNormalization(series.table, { rows: lay.train })),
  });
  reportStage(ctx, 'normalized', normalized, `mean/std of the training rows (${lay.split})`);
  const stats = normalizationOf(normalized.table);
  if (stats === undefined) throw new Error(`${normalized.path} has no normalization metadata`);
  const features = stats.columns.length;
  const targetIndex = stats.columns.indexOf(lay.target);
  const std = stats.std[targetIndex];
  void timeValues;

  const reverse = exp.id === 'weather-gru-reversed';
  const windows = (range: [number, number], shuffle: boolean) =>
    bookGenerator(normalized.table, {
      lookback: cfg.lookback,
      delay: cfg.delay,
      step: cfg.step,
      minIndex: range[0],
      maxIndex: range[1],
      shuffle,
      batchSize: cfg.batchSize,
      targetColumn: lay.target,
      seed: ctx.seed,
      reverse,
    });
  const fit = Math.floor((lay.val[1] - lay.val[0] - cfg.lookback - cfg.delay) / cfg.batchSize);
  const valSteps = Math.max(1, Math.min(cfg.valSteps ?? fit, fit));
  const baseline = evaluateNaiveMethod(windows(lay.val, false), { valSteps });
  const baselineLine = `common-sense baseline (the target ${cfg.delay} rows later = its last value): val MAE ${baseline.mae.toFixed(4)} = ${(baseline.mae * std).toFixed(2)} ${lay.unit}`;

  const timesteps = cfg.lookback / cfg.step;
  const common = { features, seed: ctx.seed, ...(cfg.recurrentImpl ? { recurrentImpl: cfg.recurrentImpl } : {}) };
  const builders: Record<string, () => tfjs.LayersModel> = {
    denseTimeseries: () => denseTimeseries({ features, timesteps, seed: ctx.seed }),
    gruTimeseries: () => gruTimeseries(common),
    gruDropoutTimeseries: () => gruDropoutTimeseries(common),
    stackedGruTimeseries: () => stackedGruTimeseries(common),
    bidirectionalGruTimeseries: () => bidirectionalGruTimeseries(common),
    conv1dTimeseries: () => conv1dTimeseries({ features, seed: ctx.seed }),
    convGruTimeseries: () => convGruTimeseries(common),
  };
  const isBaseline = exp.model === 'evaluateNaiveMethod';
  const describe = `${features} features, target ${lay.target} ${cfg.delay} rows ahead, lookback ${cfg.lookback} every ${cfg.step}, ${lay.split}; ${valSteps} validation batches of ${cfg.batchSize}`;

  return {
    upstreamKey: normalized.key,
    describe,
    ...(isBaseline
      ? {}
      : {
          buildModel: () => {
            const build = builders[exp.model];
            if (build === undefined) throw new Error(`no builder for model ${exp.model}`);
            return build();
          },
          data: windows(lay.train, true),
          freshData: () => windows(lay.train, true),
          // An iterable (not an iterator) restarts every pass: each epoch is validated on the
          // same windows as the baseline and the final figure.
          trainOptions: {
            epochs: cfg.epochs,
            stepsPerEpoch: cfg.stepsPerEpoch,
            validation: { [Symbol.iterator]: () => windows(lay.val, false) },
            validationSteps: valSteps,
          },
          bundleConfig: {
            task: 'series' as const,
            features: stats.columns,
            normalization: { mean: stats.mean, std: stats.std },
            targetFeature: targetIndex,
            lookback: cfg.lookback,
            step: cfg.step,
            delay: cfg.delay,
            timesteps,
            unit: lay.unit,
          },
        }),
    async finish(model) {
      const notes = [baselineLine];
      if (model === undefined)
        return { value: baseline.mae, notes: [...notes, `${(baseline.mae * std).toFixed(2)} ${lay.unit} in the target's units`] };
      const val = await evaluate(model, windows(lay.val, false), { steps: valSteps });
      notes.push(
        `model: val MAE ${val.loss.toFixed(4)} = ${(val.loss * std).toFixed(2)} ${lay.unit} (${val.loss < baseline.mae ? 'beats' : 'does not beat'} the baseline)`,
      );
      return { value: val.loss, baseline: { name: 'common-sense baseline', value: baseline.mae }, notes };
    },
    extras: (runDir) => writeFileSync(join(runDir, 'window.csv'), sampleWindowCsv(series.table, lay.val[1] - cfg.delay, cfg)),
  };
}
