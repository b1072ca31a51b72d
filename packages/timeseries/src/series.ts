import { Table } from 'apache-arrow';
import { columnValues, contiguous, META, readJsonMeta, type TimeseriesInfo } from '@seqlearn/dataset';
import { NonFiniteValueError, SeriesInputError, UnknownColumnError } from './errors.js';
import type { FloatArray, SeriesInput, TargetsInput } from './types.js';

/**
 * The one internal view of a series the generators read from. A table keeps its Arrow
 * column buffers (one Float32Array per feature, no copy); an array stays row-major.
 */
export interface Series {
  rows: number;
  features: number;
  columns: string[];
  /** Row-major values when the input was an array, else null. */
  rowMajor: FloatArray | null;
  /** One buffer per feature when the input was a table, else null. */
  columnArrays: Float32Array[] | null;
  /** The input was `[rows]`: samples drop the feature axis. */
  univariate: boolean;
  /** The table's timeseries metadata, when there is one. */
  info: TimeseriesInfo | undefined;
}

export interface SeriesSelection {
  /** Feature columns of a table to use, in this order (default: every column but `time`). */
  columns?: readonly string[];
}

export function isTable(data: unknown): data is Table {
  return data instanceof Table;
}

function isFloatArray(values: unknown): values is FloatArray {
  return values instanceof Float32Array || values instanceof Float64Array;
}

export function resolveSeries(data: SeriesInput, selection: SeriesSelection = {}): Series {
  if (isTable(data)) return tableSeries(data, selection);
  if (data === null || typeof data !== 'object' || !isFloatArray(data.values) || !Array.isArray(data.shape)) {
    throw new SeriesInputError('expected a timeseries table or { values: Float32Array | Float64Array, shape: [rows, features] }');
  }
  const { values, shape } = data;
  if (shape.length !== 1 && shape.length !== 2) {
    throw new SeriesInputError(`shape must be [rows] or [rows, features], got [${shape.join(', ')}]`);
  }
  const rows = shape[0];
  const features = shape.length === 2 ? shape[1] : 1;
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(features) || features < 1) {
    throw new SeriesInputError(`shape [${shape.join(', ')}] must hold non-negative integers (at least one feature)`);
  }
  if (values.length !== rows * features) {
    throw new SeriesInputError(`shape [${shape.join(', ')}] needs ${rows * features} values, got ${values.length}`);
  }
  const columns = data.columns ? [...data.columns] : Array.from({ length: features }, (_, i) => String(i));
  if (columns.length !== features) {
    throw new SeriesInputError(`columns names ${columns.length} features, shape has ${features}`);
  }
  if (selection.columns) {
    throw new SeriesInputError('the `columns` option selects columns of a table; slice an array yourself');
  }
  return { rows, features, columns, rowMajor: values, columnArrays: null, univariate: shape.length === 1, info: undefined };
}

function tableSeries(input: Table, selection: SeriesSelection): Series {
  const table = input.batches.length === 1 ? input : contiguous(input);
  const all = table.schema.fields.map((f) => f.name).filter((name) => name !== 'time');
  const columns = selection.columns ? [...selection.columns] : all;
  if (columns.length === 0) throw new SeriesInputError('the table has no feature columns besides "time"');
  const columnArrays = columns.map((name) => {
    if (!all.includes(name)) throw new UnknownColumnError(name, all, 'feature column');
    const field = table.schema.fields.find((f) => f.name === name)!;
    const { values } = columnValues(table, name);
    if (!(values instanceof Float32Array)) {
      throw new SeriesInputError(`column "${name}" is ${field.type}; a timeseries feature must be Float32`);
    }
    const vector = table.getChild(name)!;
    if (vector.nullCount > 0) {
      // A null slot holds an arbitrary number in the buffer: it must not reach a sample.
      let row = 0;
      while (vector.isValid(row)) row++;
      throw new NonFiniteValueError(row, name, NaN);
    }
    return values;
  });
  return {
    rows: table.numRows,
    features: columns.length,
    columns,
    rowMajor: null,
    columnArrays,
    univariate: false,
    info: readJsonMeta<TimeseriesInfo>(table, META.timeseries),
  };
}

/** A column given by name or by index, as an index; UnknownColumnError otherwise. */
export function resolveColumn(series: Series, column: number | string, role = 'target column'): number {
  if (typeof column === 'number') {
    if (Number.isInteger(column) && column >= 0 && column < series.features) return column;
    throw new UnknownColumnError(column, series.columns, role);
  }
  const index = series.columns.indexOf(column);
  if (index < 0) throw new UnknownColumnError(column, series.columns, role);
  return index;
}

/** Throws NonFiniteValueError naming the first NaN/±Infinity in rows `[start, end)`. */
export function checkFinite(series: Series, start: number, end: number): void {
  if (!allFinite(series, start, end)) throwFirstNonFinite(series, start, end);
}

/**
 * Whether rows `[start, end)` hold only finite values: v - v is 0 for every finite v and NaN
 * otherwise, so one sum without a branch per value answers it (several times faster than
 * testing each value; the rare failure is rescanned to say where).
 */
function allFinite(series: Series, start: number, end: number): boolean {
  const from = Math.max(0, start);
  const to = Math.min(end, series.rows);
  let sum = 0;
  if (series.rowMajor) {
    const v = series.rowMajor;
    const last = to * series.features;
    for (let i = from * series.features; i < last; i++) sum += v[i]! - v[i]!;
    return sum === 0;
  }
  for (const col of series.columnArrays!) for (let r = from; r < to; r++) sum += col[r]! - col[r]!;
  return sum === 0;
}

function throwFirstNonFinite(series: Series, start: number, end: number): void {
  const { features, columns } = series;
  if (series.rowMajor) {
    const v = series.rowMajor;
    const last = Math.min(end, series.rows) * features;
    for (let i = Math.max(0, start) * features; i < last; i++) {
      // x - x is NaN exactly when x is NaN or infinite: one cheap test in the hot loop.
      if (v[i] - v[i] !== 0) {
        const row = Math.floor(i / features);
        throw new NonFiniteValueError(row, columns[i - row * features], v[i]);
      }
    }
    return;
  }
  let firstRow = Infinity;
  let firstCol = -1;
  series.columnArrays!.forEach((col, c) => {
    const stop = Math.min(end, series.rows, firstRow);
    for (let r = Math.max(0, start); r < stop; r++) {
      if (col[r] - col[r] !== 0) {
        if (r < firstRow) {
          firstRow = r;
          firstCol = c;
        }
        break;
      }
    }
  });
  if (firstCol >= 0) throw new NonFiniteValueError(firstRow, columns[firstCol], series.columnArrays![firstCol][firstRow]);
}

/** Targets as one flat buffer with `width` values per row. */
export interface Targets {
  values: FloatArray;
  rows: number;
  width: number;
  /** Shape of one row's target: `[]` for scalars. */
  rowShape: number[];
}

export function resolveTargets(targets: TargetsInput): Targets {
  if (isFloatArray(targets)) return { values: targets, rows: targets.length, width: 1, rowShape: [] };
  if (Array.isArray(targets)) {
    const values = Float64Array.from(targets as readonly number[]);
    return { values, rows: values.length, width: 1, rowShape: [] };
  }
  const shaped = targets as { values: unknown; shape: readonly number[] };
  if (shaped && isFloatArray(shaped.values) && Array.isArray(shaped.shape) && shaped.shape.length >= 1) {
    const rows = shaped.shape[0];
    const rowShape = shaped.shape.slice(1);
    const width = rowShape.reduce((a, b) => a * b, 1);
    if (rows * width !== shaped.values.length) {
      throw new SeriesInputError(`targets: shape [${shaped.shape.join(', ')}] needs ${rows * width} values, got ${shaped.values.length}`);
    }
    return { values: shaped.values, rows, width, rowShape };
  }
  throw new SeriesInputError('targets must be a Float32Array, Float64Array, number[] or { values, shape }');
}

export function checkFiniteTargets(targets: Targets, start: number, end: number): void {
  const { values, width } = targets;
  const last = Math.min(end, targets.rows) * width;
  for (let i = Math.max(0, start) * width; i < last; i++) {
    if (values[i] - values[i] !== 0) {
      const row = Math.floor(i / width);
      throw new NonFiniteValueError(row, width === 1 ? '0' : String(i - row * width), values[i], 'targets');
    }
  }
}
