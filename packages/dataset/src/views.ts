import { Data, DataType, Table } from 'apache-arrow';
import { DatasetError } from './errors.js';

export type TypedArray = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

/**
 * A column's values as typed arrays that share memory with the table.
 * - primitive columns: `values` holds one value per row;
 * - `FixedSizeList` columns: `values` is row-major, `width` values a row;
 * - `List` columns: row `i` is `values[offsets[i]..offsets[i + 1])`.
 */
export interface ColumnView {
  values: TypedArray;
  offsets?: Int32Array;
  width?: number;
}

function dataView(data: Data, column: string): ColumnView {
  const type = data.type;
  if (DataType.isFixedSizeList(type)) {
    // IPC buffers are padded to 8 bytes: trim views to the rows they hold.
    const values = data.children[0].values as TypedArray;
    return { values: values.subarray(0, data.length * type.listSize), width: type.listSize };
  }
  if (DataType.isList(type)) {
    const child = data.children[0];
    return {
      values: (child.values as TypedArray).subarray(0, child.length),
      offsets: (data.valueOffsets as Int32Array).subarray(0, data.length + 1),
    };
  }
  if ((DataType.isInt(type) && type.bitWidth < 64) || DataType.isFloat(type)) {
    return { values: (data.values as TypedArray).subarray(0, data.length) };
  }
  const hint = DataType.isTimestamp(type) ? ' (use timeValues for a timestamp column)' : '';
  throw new DatasetError(
    `column "${column}" is ${type}: only 8- to 32-bit numeric, List and FixedSizeList columns have typed-array views${hint}`,
  );
}

function columnData(table: Table, column: string): Data {
  const index = table.schema.fields.findIndex((f) => f.name === column);
  if (index < 0) {
    throw new DatasetError(`no column "${column}"; columns are ${table.schema.fields.map((f) => f.name).join(', ')}`);
  }
  if (table.batches.length !== 1) {
    throw new DatasetError(`column "${column}" spans ${table.batches.length} record batches; call contiguous(table) first`);
  }
  return table.batches[0].data.children[index];
}

/** Zero-copy typed-array view of a column of a one-batch table (see `contiguous`). */
export function columnValues(table: Table, column: string): ColumnView {
  if (table.numRows === 0 && table.batches.length === 0) return { values: new Int32Array(0) };
  return dataView(columnData(table, column), column);
}

export interface Batch {
  /** First row, inclusive. */
  start: number;
  /** Last row, exclusive. */
  end: number;
  size: number;
  /** Views of each requested column restricted to `[start, end)`; never copies. */
  columns: Record<string, ColumnView>;
}

function sliceView(view: ColumnView, start: number, end: number): ColumnView {
  if (view.offsets) return { values: view.values, offsets: view.offsets.subarray(start, end + 1) };
  const width = view.width ?? 1;
  return { ...view, values: view.values.subarray(start * width, end * width) };
}

export interface BatchOptions {
  batchSize: number;
  columns?: readonly string[];
  start?: number;
  end?: number;
}

/** Consecutive row ranges of `batchSize` rows (the last may be shorter) over `[start, end)`. */
export function* batches(table: Table, options: BatchOptions): Generator<Batch> {
  const { batchSize } = options;
  if (!Number.isInteger(batchSize) || batchSize <= 0) throw new DatasetError(`batchSize must be a positive integer, got ${batchSize}`);
  const start = options.start ?? 0;
  const end = options.end ?? table.numRows;
  if (!(Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end && end <= table.numRows)) {
    throw new DatasetError(`row range [${start}, ${end}) is not within the table's ${table.numRows} rows`);
  }
  const names = options.columns ?? table.schema.fields.map((f) => f.name);
  const views = Object.fromEntries(names.map((name) => [name, columnValues(table, name)]));
  for (let from = start; from < end; from += batchSize) {
    const to = Math.min(from + batchSize, end);
    const columns: Record<string, ColumnView> = {};
    for (const name of names) columns[name] = sliceView(views[name], from, to);
    yield { start: from, end: to, size: to - from, columns };
  }
}

/** A timeseries table's `time` column as epoch milliseconds (a copy: Arrow keeps it as BigInt64). */
export function timeValues(table: Table, column = 'time'): Float64Array {
  const data = columnData(table, column);
  if (!DataType.isTimestamp(data.type)) throw new DatasetError(`column "${column}" is ${data.type}, expected Timestamp<MILLISECOND>`);
  const raw = data.values as BigInt64Array;
  const out = new Float64Array(data.length);
  for (let i = 0; i < out.length; i++) out[i] = Number(raw[i]);
  return out;
}
