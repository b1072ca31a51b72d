import { DataType, type Table } from 'apache-arrow';
import { batches, columnValues, contiguous, shuffledIndices, type ColumnView } from '@seqlearn/dataset';
import { EmptyDatasetError, InputShapeError } from '../errors.js';
import type { HostBatch } from './types.js';

/** The two input columns of the Arrow contract that a model can read. */
const INPUT_COLUMNS = ['tokens', 'x'] as const;

/** A table's model input and labels as zero-copy views, with where they came from for messages. */
export interface TableArrays {
  table: Table;
  column: 'tokens' | 'x';
  dtype: 'int32' | 'float32';
  sampleShape: number[];
  rows: number;
  x: ColumnView;
  label: ColumnView | undefined;
}

function fieldOf(table: Table, name: string) {
  return table.schema.fields.find((f) => f.name === name);
}

/** Reads the input column's layout and checks it can feed a model, before any tensor exists. */
export function tableArrays(input: Table, where: string): TableArrays {
  if (input.numRows === 0) throw new EmptyDatasetError(`${where}: the table has no rows; expected at least one`);
  const column = INPUT_COLUMNS.find((c) => fieldOf(input, c) !== undefined);
  if (column === undefined) {
    const names = input.schema.fields.map((f) => `${f.name}: ${String(f.type)}`).join(', ');
    throw new InputShapeError(
      `${where}: the table has no model input column; expected 'tokens: FixedSizeList<Int32>[maxlen]' (padded sequences) or 'x: FixedSizeList<Float32>[dim]' (vectors), got columns ${names}`,
    );
  }
  const type = fieldOf(input, column)!.type;
  if (DataType.isList(type)) {
    throw new InputShapeError(
      `${where}: column '${column}' is ragged (${String(type)}); expected FixedSizeList[maxlen]: pad the sequences first (padSequences from @seqlearn/text)`,
    );
  }
  if (!DataType.isFixedSizeList(type)) {
    throw new InputShapeError(
      `${where}: column '${column}' is ${String(type)}; expected a FixedSizeList of Int32 tokens or Float32 values`,
    );
  }
  const child = type.children[0].type;
  let dtype: 'int32' | 'float32';
  if (DataType.isInt(child) && child.bitWidth <= 32) dtype = 'int32';
  else if (DataType.isFloat(child)) dtype = 'float32';
  else
    throw new InputShapeError(
      `${where}: column '${column}' holds ${String(child)}; expected Int32 (tokens) or Float32 values (BigInt columns cannot feed tfjs)`,
    );
  const table = input.batches.length === 1 ? input : contiguous(input);
  const x = columnValues(table, column);
  const label = fieldOf(table, 'label') === undefined ? undefined : columnValues(table, 'label');
  return { table, column, dtype, sampleShape: [type.listSize], rows: table.numRows, x, label };
}

function toInput(values: ColumnView['values'], dtype: 'int32' | 'float32'): Int32Array | Float32Array {
  if (dtype === 'int32') return values instanceof Int32Array ? values : Int32Array.from(values as ArrayLike<number>);
  return values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
}

function toLabels(values: ColumnView['values']): Float32Array {
  return values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
}

export interface TableFeedOptions {
  batchSize: number;
  start: number;
  end: number;
  /** Shuffle seed for this pass, or undefined to read rows in order. */
  shuffleSeed: number | undefined;
  withLabels: boolean;
  /** One weight per table row (indexed by the row's position in the table). */
  weights?: Float32Array;
}

export function tableSteps(start: number, end: number, batchSize: number): number {
  return Math.ceil((end - start) / batchSize);
}

/**
 * Batches over rows `[start, end)`. In order, each batch is a view of the column buffers;
 * shuffled, only that batch's rows are gathered into a fresh buffer.
 */
export function* tableBatches(arrays: TableArrays, opts: TableFeedOptions): Generator<HostBatch> {
  const width = arrays.sampleShape[0];
  if (opts.shuffleSeed === undefined) {
    const columns = opts.withLabels ? [arrays.column, 'label'] : [arrays.column];
    let at = opts.start;
    for (const b of batches(arrays.table, { batchSize: opts.batchSize, columns, start: opts.start, end: opts.end })) {
      const y = opts.withLabels ? toLabels(b.columns.label.values) : undefined;
      const w = opts.weights?.subarray(at, at + b.size);
      at += b.size;
      yield {
        x: toInput(b.columns[arrays.column].values, arrays.dtype),
        xShape: [b.size, width],
        y,
        yShape: y && [b.size, 1],
        size: b.size,
        ...(w === undefined ? {} : { w }),
      };
    }
    return;
  }
  const n = opts.end - opts.start;
  const order = shuffledIndices(n, opts.shuffleSeed);
  const xs = arrays.x.values as ArrayLike<number> & { subarray(a: number, b: number): ArrayLike<number> };
  const labels = arrays.label?.values as ArrayLike<number> | undefined;
  for (let from = 0; from < n; from += opts.batchSize) {
    const size = Math.min(opts.batchSize, n - from);
    const x = arrays.dtype === 'int32' ? new Int32Array(size * width) : new Float32Array(size * width);
    const y = opts.withLabels ? new Float32Array(size) : undefined;
    const w = opts.weights === undefined ? undefined : new Float32Array(size);
    for (let k = 0; k < size; k++) {
      const row = opts.start + order[from + k];
      x.set(xs.subarray(row * width, (row + 1) * width), k * width);
      if (y !== undefined) y[k] = labels![row];
      if (w !== undefined) w[k] = opts.weights![row];
    }
    yield { x, xShape: [size, width], y, yShape: y && [size, 1], size, ...(w === undefined ? {} : { w }) };
  }
}
