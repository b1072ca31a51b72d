import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { BackendChoice } from '@seqlearn/backend';
import type { LoadedBundle, SeriesBundleConfig } from '@seqlearn/models';
import { UserError } from '../errors.js';
import { TEXT_TABLE_EXTENSIONS, readSeries, readUnlabeledTexts, type ColumnFlags } from '../own-data/input.js';
import { writePredictions } from '../own-data/prediction-file.js';
import { forecastSeries, scoreTexts, seriesConfig, textConfig } from '../own-data/scoring.js';
import { createProgress } from '../progress/progress.js';
import { openBundle } from './bundle-dir.js';

export interface PredictFlags extends ColumnFlags {
  input?: string;
  output?: string;
  backend?: BackendChoice;
}

const isDataFile = (arg: string) => TEXT_TABLE_EXTENSIONS.includes(extname(arg).toLowerCase()) && existsSync(arg) && statSync(arg).isFile();
const iso = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace(/\.000Z$/, '')
    .replace(/Z$/, '');

/** A window CSV: a header naming the bundle's features (any order), one row per timestep, no time column. */
function readWindow(path: string, config: SeriesBundleConfig): number[][] {
  let records: string[][];
  try {
    records = parse(readFileSync(path, 'utf8'), { skip_empty_lines: true, trim: true, bom: true }) as string[][];
  } catch (e) {
    throw new UserError(`${path} is not a readable CSV (${(e as Error).message})`);
  }
  const [header, ...rows] = records;
  if (header === undefined || rows.length === 0) throw new UserError(`${path} has no rows: expected a header and one row per timestep`);
  const features = config.features ?? header;
  const columns = features.map((f) => header.indexOf(f));
  const missing = features.filter((_, i) => columns[i] < 0);
  if (missing.length > 0)
    throw new UserError(`${path} lacks the column(s) ${missing.join(', ')}; the bundle's features are ${features.join(', ')}`);
  if (typeof config.timesteps === 'number' && rows.length !== config.timesteps) {
    throw new UserError(
      `${path} has ${rows.length} rows; this bundle forecasts from windows of exactly ${config.timesteps} rows (one per timestep)`,
    );
  }
  return rows.map((row, r) =>
    columns.map((c, i) => {
      const v = Number(row[c]);
      if (row[c] === undefined || row[c] === '' || !Number.isFinite(v))
        throw new UserError(`${path}, line ${r + 2}, column ${features[i]}: "${row[c] ?? ''}" is not a number`);
      return v;
    }),
  );
}

const TIME_NAMES = ['time', 'date', 'datetime', 'timestamp', 'date time', 'year'];

/** A file without a time column is one bare window (the features, a row a timestep), as weather runs write. */
function isBareWindow(path: string, config: SeriesBundleConfig): boolean {
  const firstLine = readFileSync(path, 'utf8').split(/\r?\n/, 1)[0] ?? '';
  const header = ((parse(firstLine, { bom: true, trim: true }) as string[][])[0] ?? []).map((h) => h.toLowerCase());
  const timeColumn = typeof config.timeColumn === 'string' ? config.timeColumn.toLowerCase() : undefined;
  return !header.some((h) => TIME_NAMES.includes(h) || h === timeColumn);
}

async function predictTextFile(bundle: LoadedBundle, file: string, flags: PredictFlags): Promise<void> {
  const c = textConfig(bundle);
  const table = await readUnlabeledTexts(file, { textColumn: flags.textColumn ?? (c.textColumn as string | undefined) }, createProgress());
  const texts = table.getChild('text')!.toArray() as string[];
  const ids = table.getChild('id')?.toArray() as string[] | undefined;
  const { label, probability } = await scoreTexts(bundle, texts);
  const names = c.labels ?? [];
  const rows = texts.map((_, i) => [...(ids ? [ids[i]] : [i + 1]), names[label[i]] ?? label[i], Number(probability[i].toFixed(6))]);
  writePredictions(flags.output, [ids ? 'id' : 'row', 'label', 'probability'], rows);
}

async function predictSeriesFile(bundle: LoadedBundle, file: string, flags: PredictFlags): Promise<void> {
  const c = seriesConfig(bundle);
  const table = await readSeries(file, { ...flags, target: c.target }, createProgress(), { categorical: Object.keys(c.categorical ?? {}) });
  const f = await forecastSeries(bundle, table, file);
  const rows = Array.from(f.forecast, (v, i) => [
    iso(f.time[i]),
    iso(f.forecastTime[i]),
    Number(v.toFixed(6)),
    Number.isNaN(f.actual[i]) ? null : Number(f.actual[i].toPrecision(9)),
  ]);
  writePredictions(flags.output, ['time', 'forecast_time', `${c.target}_forecast`, `${c.target}_actual`], rows);
}

/** `seqlearn predict <bundle> …`: texts or a file of them, or a series file (or bare window files). */
export async function predictCommand(bundleDir: string, inputs: string[], flags: PredictFlags): Promise<void> {
  if (flags.input !== undefined && !existsSync(flags.input)) throw new UserError(`--input ${flags.input} does not exist`);
  if (flags.input === undefined && inputs.length === 0) throw new UserError('nothing to predict: give texts, or --input <file>');
  const bundle = await openBundle(bundleDir, flags.backend);
  try {
    const config = bundle.config;
    if (config.task === 'text') {
      const file = flags.input ?? (inputs.length === 1 && isDataFile(inputs[0]) ? inputs[0] : undefined);
      if (file !== undefined) return await predictTextFile(bundle, resolve(file), flags);
      const { label, probability } = await scoreTexts(bundle, inputs);
      inputs.forEach((text, i) =>
        process.stdout.write(`${config.labels?.[label[i]] ?? label[i]}\t${probability[i].toFixed(4)}\t${text}\n`),
      );
    } else if (config.task === 'series') {
      for (const input of flags.input ? [flags.input] : inputs) {
        if (!existsSync(input) || !statSync(input).isFile())
          throw new UserError(`a forecasting bundle takes a CSV file; ${input} is not a file`);
        if (flags.input === undefined && isBareWindow(input, config)) {
          const forecast = await bundle.predictSeries(readWindow(input, config));
          const target = config.features?.[config.targetFeature ?? 0] ?? 'target';
          const unit = typeof config.unit === 'string' ? ` ${config.unit}` : '';
          const when = typeof config.delay === 'number' ? `${config.delay} rows after the window` : 'after the window';
          process.stdout.write(`${target} ${when}: ${forecast.toFixed(2)}${unit}\t${input}\n`);
        } else {
          await predictSeriesFile(bundle, resolve(input), flags);
        }
      }
    } else {
      throw new UserError(`this bundle's model takes ${String(config.input ?? 'prepared vectors')}; predict reads text and series bundles`);
    }
  } finally {
    bundle.dispose();
  }
}
