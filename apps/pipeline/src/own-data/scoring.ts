import type { Table } from 'apache-arrow';
import { columnValues, featureNames, timeseriesTable } from '@seqlearn/dataset';
import { predict, type LoadedBundle, type SeriesBundleConfig, type TextBundleConfig } from '@seqlearn/models';
import { normalize } from '@seqlearn/timeseries';
import { UserError } from '../errors.js';
import { allWindows, windowShape } from './series-windows.js';
import { seriesInterval } from './summary.js';

/** The batch both training and scoring predict in, so that the two give the same floats. */
export const SCORING_BATCH = 256;

export interface TextScores {
  label: Int32Array;
  /** The probability the model gives its predicted label. */
  probability: Float32Array;
}

/** Labels and their probabilities for raw texts, through the bundle's tokenizer and padding. */
export async function scoreTexts(bundle: LoadedBundle, texts: readonly string[], onChunk?: (done: number) => void): Promise<TextScores> {
  const label = new Int32Array(texts.length);
  const probability = new Float32Array(texts.length);
  for (let from = 0; from < texts.length; from += SCORING_BATCH) {
    const chunk = await bundle.predictText(texts.slice(from, from + SCORING_BATCH));
    chunk.forEach((p, i) => {
      label[from + i] = p.label;
      probability[from + i] = p.scores.length === 1 ? (p.label === 1 ? p.scores[0] : 1 - p.scores[0]) : p.scores[p.label];
    });
    onChunk?.(Math.min(from + SCORING_BATCH, texts.length));
  }
  return { label, probability };
}

export function textConfig(bundle: LoadedBundle): TextBundleConfig {
  if (bundle.config.task !== 'text')
    throw new UserError(`this bundle forecasts series; give it a series CSV (its task is '${bundle.config.task}')`);
  return bundle.config;
}

export function seriesConfig(bundle: LoadedBundle): Required<Pick<SeriesBundleConfig, 'features' | 'normalization' | 'targetFeature'>> &
  SeriesBundleConfig & {
    lookback: number;
    step: number;
    delay: number;
    target: string;
    intervalMs?: number;
    categorical: Record<string, string[]>;
    timeColumn: string;
    unit?: string;
  } {
  const c = bundle.config;
  if (
    c.task !== 'series' ||
    c.features === undefined ||
    c.normalization === undefined ||
    c.targetFeature === undefined ||
    typeof c.lookback !== 'number'
  ) {
    throw new UserError(`this bundle classifies text; give it texts (its task is '${c.task}')`);
  }
  // Bundles of the book's weather runs predate these fields: the target is the forecast feature.
  return { target: c.features[c.targetFeature], categorical: {}, timeColumn: 'time', ...c } as ReturnType<typeof seriesConfig>;
}

/** The bundle's features from a freshly read series: a category the file never shows is all zeros. */
function alignFeatures(table: Table, features: readonly string[], categorical: Record<string, string[]>, file: string): Table {
  const present = new Set(featureNames(table));
  const oneHot = new Set(Object.entries(categorical).flatMap(([n, vs]) => vs.map((v) => `${n}=${v}`)));
  const missing = features.filter((f) => !present.has(f) && !oneHot.has(f));
  if (missing.length > 0)
    throw new UserError(
      `${file} lacks the column(s) ${missing.join(', ')} the model was trained on; its columns are ${[...present].join(', ')}`,
    );
  const values: Record<string, Float32Array> = {};
  for (const f of features) values[f] = present.has(f) ? Float32Array.from(columnValues(table, f).values) : new Float32Array(table.numRows);
  const time = table.getChild('time')!.toArray() as ArrayLike<number | bigint>;
  return timeseriesTable({ time: Float64Array.from(time, Number), features: values });
}

export interface SeriesForecasts {
  /** Time of each window's last row, and of the row it forecasts. */
  time: Float64Array;
  forecastTime: Float64Array;
  forecast: Float64Array;
  /** The target's value at the forecast row, NaN past the end of the file. */
  actual: Float64Array;
  /** The common-sense forecast: the target at the window's last row. */
  lastValue: Float64Array;
}

/** One forecast for every full window of a series file, in the target's units. */
export async function forecastSeries(bundle: LoadedBundle, table: Table, file: string): Promise<SeriesForecasts> {
  const c = seriesConfig(bundle);
  const w = windowShape(c.lookback, c.step, c.delay);
  const aligned = alignFeatures(table, c.features, c.categorical ?? {}, file);
  const reach = (w.timesteps - 1) * w.step + 1;
  if (aligned.numRows < reach)
    throw new UserError(
      `${file} has ${aligned.numRows} rows; a window of this model spans ${reach} rows (lookback ${c.lookback}, step ${c.step})`,
    );
  const normalized = normalize(aligned, {
    columns: [...c.features],
    mean: c.normalization.mean,
    std: c.normalization.std,
    rows: [0, aligned.numRows],
  });
  const predictions = await predict(bundle.model, allWindows(normalized, w, c.features, SCORING_BATCH), { batchSize: SCORING_BATCH });
  const n = predictions.shape[0];
  const target = c.features[c.targetFeature];
  const mean = c.normalization.mean[c.targetFeature];
  const std = c.normalization.std[c.targetFeature];
  const raw = columnValues(aligned, target).values;
  const times = aligned.getChild('time')!;
  const interval = typeof c.intervalMs === 'number' ? c.intervalMs : seriesInterval(table);
  const out: SeriesForecasts = {
    time: new Float64Array(n),
    forecastTime: new Float64Array(n),
    forecast: new Float64Array(n),
    actual: new Float64Array(n),
    lastValue: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const last = i + (w.timesteps - 1) * w.step;
    const at = last + w.delay;
    out.time[i] = Number(times.get(last));
    out.forecastTime[i] = out.time[i] + w.delay * interval;
    out.forecast[i] = predictions.values[i] * std + mean;
    out.actual[i] = at < aligned.numRows ? raw[at] : Number.NaN;
    out.lastValue[i] = raw[last];
  }
  return out;
}

/** Mean absolute error of the forecasts and of the common-sense baseline, over windows whose target is known. */
export function forecastErrors(f: SeriesForecasts): { mae: number; baseline: number; windows: number } {
  let model = 0;
  let naive = 0;
  let n = 0;
  for (let i = 0; i < f.forecast.length; i++) {
    if (Number.isNaN(f.actual[i])) continue;
    model += Math.abs(f.forecast[i] - f.actual[i]);
    naive += Math.abs(f.lastValue[i] - f.actual[i]);
    n++;
  }
  return { mae: model / n, baseline: naive / n, windows: n };
}
