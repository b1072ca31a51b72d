import { Float32, makeData, RecordBatch, Schema, Struct, Table } from 'apache-arrow';
import { contiguous, META, type NormalizationMeta, type TimeseriesInfo } from '@seqlearn/dataset';
import { SeriesInputError, UnknownColumnError, WindowConfigError } from './errors.js';
import { requireNonNegativeInt } from './options.js';
import { checkFinite, isTable, resolveSeries, type Series, type SeriesSelection } from './series.js';
import type { FloatArray, SeriesArray, SeriesInput } from './types.js';

/** Per-feature mean and population std (ddof 0, as numpy), and the rows `[start, end)` they were fitted on. */
export interface NormalizationStats {
  columns: string[];
  mean: number[];
  std: number[];
  rows: [number, number];
}

export interface FitNormalizationOptions extends SeriesSelection {
  /** Rows to fit on: `[start, end)`, or a count of leading rows (the book: 200000). Default: all. */
  rows?: readonly [number, number] | number;
}

/**
 * Fits mean and population std per feature over a row range, in float64 (listing 6.32:
 * `mean = data[:200000].mean(axis=0)`, `std = data[:200000].std(axis=0)`).
 */
export function fitNormalization(data: SeriesInput, options: FitNormalizationOptions = {}): NormalizationStats {
  const series = resolveSeries(data, options);
  const range = options.rows ?? series.rows;
  const [start, end] = typeof range === 'number' ? [0, range] : range;
  requireNonNegativeInt('rows', start);
  requireNonNegativeInt('rows', end);
  if (start >= end || end > series.rows) {
    throw new WindowConfigError('rows', `rows [${start}, ${end}) must be a non-empty range within the series' ${series.rows} rows`);
  }
  checkFinite(series, start, end);
  const count = end - start;
  const mean: number[] = [];
  const std: number[] = [];
  for (let f = 0; f < series.features; f++) {
    const read = reader(series, f);
    let sum = 0;
    for (let r = start; r < end; r++) sum += read(r);
    const m = sum / count;
    let squares = 0;
    for (let r = start; r < end; r++) {
      const d = read(r) - m;
      squares += d * d;
    }
    mean.push(m);
    std.push(Math.sqrt(squares / count));
  }
  return { columns: [...series.columns], mean, std, rows: [start, end] };
}

function reader(series: Series, feature: number): (row: number) => number {
  if (series.rowMajor) {
    const values = series.rowMajor;
    const F = series.features;
    return (row) => values[row * F + feature];
  }
  const col = series.columnArrays![feature];
  return (row) => col[row];
}

/** The stats' position of each of the series' columns (-1: not normalized). */
function statsIndex(series: Series, stats: NormalizationStats): number[] {
  for (const name of stats.columns) {
    if (!series.columns.includes(name)) throw new UnknownColumnError(name, series.columns, 'normalized column');
  }
  stats.columns.forEach((name, i) => {
    if (!(stats.std[i] > 0) || !Number.isFinite(stats.std[i]) || !Number.isFinite(stats.mean[i])) {
      throw new SeriesInputError(
        `column "${name}": std ${stats.std[i]}, mean ${stats.mean[i]} cannot normalize (a constant column over rows [${stats.rows[0]}, ${stats.rows[1]}) has std 0)`,
      );
    }
  });
  return series.columns.map((name) => stats.columns.indexOf(name));
}

type Transform = (x: number, mean: number, std: number) => number;
const forward: Transform = (x, m, s) => (x - m) / s;
const inverse: Transform = (x, m, s) => x * s + m;

/**
 * `(x - mean) / std` for every column in `stats`. A table comes back as a new table whose
 * normalized columns are new Float32 buffers (the others are shared) and whose metadata
 * records the stats; an array comes back as a new array of the same type.
 */
export function normalize(data: Table, stats: NormalizationStats): Table;
export function normalize(data: SeriesArray, stats: NormalizationStats): SeriesArray;
export function normalize(data: SeriesInput, stats: NormalizationStats): SeriesInput {
  return transform(data, stats, forward, true);
}

/**
 * The inverse, `x * std + mean`. For a table the stats default to those in its metadata,
 * and the result's metadata no longer claims normalization.
 */
export function denormalize(data: Table, stats?: NormalizationStats): Table;
export function denormalize(data: SeriesArray, stats: NormalizationStats): SeriesArray;
export function denormalize(data: SeriesInput, stats?: NormalizationStats): SeriesInput {
  const resolved = stats ?? (isTable(data) ? normalizationOf(data) : undefined);
  if (!resolved) throw new SeriesInputError('denormalize: no stats given and the table records no normalization');
  return transform(data, resolved, inverse, false);
}

function transform(input: SeriesInput, stats: NormalizationStats, fn: Transform, recording: boolean): SeriesInput {
  // One record batch, so that the new columns line up with the old ones.
  const data = isTable(input) && input.batches.length !== 1 ? contiguous(input) : input;
  const series = resolveSeries(data);
  const index = statsIndex(series, stats);
  if (series.rowMajor) {
    const src = series.rowMajor;
    const out: FloatArray = src instanceof Float32Array ? new Float32Array(src.length) : new Float64Array(src.length);
    const F = series.features;
    for (let f = 0; f < F; f++) {
      const k = index[f];
      const m = k < 0 ? 0 : stats.mean[k];
      const s = k < 0 ? 1 : stats.std[k];
      for (let i = f; i < src.length; i += F) out[i] = k < 0 ? src[i] : fn(src[i], m, s);
    }
    const array = data as SeriesArray;
    return { values: out, shape: array.shape, ...(array.columns ? { columns: array.columns } : {}) };
  }
  const table = data as Table;
  const replaced = new Map<string, Float32Array>();
  series.columns.forEach((name, f) => {
    const k = index[f];
    if (k < 0) return;
    const col = series.columnArrays![f];
    const out = new Float32Array(col.length);
    const m = stats.mean[k];
    const s = stats.std[k];
    for (let r = 0; r < col.length; r++) out[r] = fn(col[r], m, s);
    replaced.set(name, out);
  });
  const info: TimeseriesInfo = { ...(series.info ?? {}) };
  if (recording) info.normalization = toNormalizationMeta(stats);
  else delete info.normalization;
  return replaceColumns(table, replaced, JSON.stringify(info));
}

function replaceColumns(input: Table, replaced: Map<string, Float32Array>, timeseriesMeta: string): Table {
  const batch = input.batches.length === 1 ? input.batches[0] : null;
  if (!batch) throw new SeriesInputError('expected a table of one record batch');
  const children = input.schema.fields.map((field, i) => {
    const values = replaced.get(field.name);
    return values ? makeData({ type: new Float32(), length: values.length, data: values }) : batch.data.children[i];
  });
  const metadata = new Map(input.schema.metadata);
  metadata.set(META.timeseries, timeseriesMeta);
  const schema = new Schema(input.schema.fields, metadata, input.schema.dictionaries);
  const struct = makeData({ type: new Struct(schema.fields), length: input.numRows, children, nullCount: 0 });
  return new Table(schema, [new RecordBatch(schema, struct)]);
}

/** The stats in the shape the timeseries table metadata stores them. */
export function toNormalizationMeta(stats: NormalizationStats): NormalizationMeta {
  const mean: Record<string, number> = {};
  const std: Record<string, number> = {};
  stats.columns.forEach((name, i) => {
    mean[name] = stats.mean[i];
    std[name] = stats.std[i];
  });
  return { mean, std, rows: [stats.rows[0], stats.rows[1]] };
}

/** Stats from table metadata, for the given columns (default: all it records). */
export function normalizationFromInfo(info: TimeseriesInfo | undefined, columns?: readonly string[]): NormalizationStats | undefined {
  const meta = info?.normalization;
  if (!meta) return undefined;
  const names = (columns ?? Object.keys(meta.mean)).filter((name) => name in meta.mean && name in meta.std);
  return {
    columns: names,
    mean: names.map((name) => meta.mean[name]),
    std: names.map((name) => meta.std[name]),
    rows: [meta.rows[0], meta.rows[1]],
  };
}

/** The normalization a timeseries table's metadata records, if any. */
export function normalizationOf(table: Table): NormalizationStats | undefined {
  return normalizationFromInfo(resolveSeries(table).info);
}

/** A normalized quantity of `column` back in original units: `x * std + mean`. */
export function denormalizeValue(value: number, stats: NormalizationStats, column: string): number {
  const k = stats.columns.indexOf(column);
  if (k < 0) throw new UnknownColumnError(column, stats.columns, 'normalized column');
  return value * stats.std[k] + stats.mean[k];
}
