import {
  Data,
  Dictionary,
  Field,
  FixedSizeList,
  Float32,
  Int32,
  Int8,
  List,
  RecordBatch,
  Schema,
  Struct,
  Table,
  TimestampMillisecond,
  Utf8,
  makeData,
  vectorFromArray,
} from 'apache-arrow';
import { DatasetError } from './errors.js';

/**
 * Low-level column builders. Typed arrays become Arrow buffers as they are (no copy),
 * which is what lets a batch later hand the same memory to tf.tensor.
 */

export type NumericArray = ArrayLike<number>;

function toInt32(values: NumericArray, column: string): Int32Array {
  if (values instanceof Int32Array) return values;
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < -2147483648 || v > 2147483647) {
      throw new DatasetError(`column "${column}", row ${i}: expected a 32-bit integer, got ${v}`);
    }
    out[i] = v;
  }
  return out;
}

function toFloat32(values: NumericArray): Float32Array {
  return values instanceof Float32Array ? values : Float32Array.from(values);
}

export function int32Column(values: NumericArray, column: string): Data<Int32> {
  const data = toInt32(values, column);
  return makeData({ type: new Int32(), length: data.length, data });
}

export function float32Column(values: NumericArray): Data<Float32> {
  const data = toFloat32(values);
  return makeData({ type: new Float32(), length: data.length, data });
}

export function utf8Column(values: readonly string[], column: string): Data<Utf8> {
  values.forEach((v, i) => {
    if (typeof v !== 'string') throw new DatasetError(`column "${column}", row ${i}: expected a string, got ${typeof v}`);
  });
  return vectorFromArray(values as string[], new Utf8()).data[0];
}

export function dictionaryUtf8Column(values: readonly string[], column: string): Data<Dictionary<Utf8, Int8>> {
  values.forEach((v, i) => {
    if (typeof v !== 'string') throw new DatasetError(`column "${column}", row ${i}: expected a string, got ${typeof v}`);
  });
  const vector = vectorFromArray(values as string[], new Dictionary(new Utf8(), new Int8()));
  if (vector.data.length !== 1) throw new DatasetError(`column "${column}": more distinct values than an Int8 dictionary holds`);
  return vector.data[0];
}

export function timestampMsColumn(epochMs: NumericArray, column: string): Data<TimestampMillisecond> {
  const data = new BigInt64Array(epochMs.length);
  for (let i = 0; i < epochMs.length; i++) {
    const v = epochMs[i];
    if (!Number.isFinite(v)) throw new DatasetError(`column "${column}", row ${i}: expected a time in epoch milliseconds, got ${v}`);
    data[i] = BigInt(Math.round(v));
  }
  return makeData({ type: new TimestampMillisecond(), length: data.length, data });
}

/** A ragged `List<Int32>` column: one flat value buffer plus row offsets. */
export function int32ListColumn(rows: readonly NumericArray[], column: string): Data<List<Int32>> {
  const offsets = new Int32Array(rows.length + 1);
  for (let r = 0; r < rows.length; r++) offsets[r + 1] = offsets[r] + rows[r].length;
  const values = new Int32Array(offsets[rows.length]);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    const base = offsets[r];
    for (let j = 0; j < row.length; j++) {
      const v = row[j];
      if (!Number.isInteger(v))
        throw new DatasetError(`column "${column}", row ${r}, position ${j}: expected an integer token id, got ${v}`);
      values[base + j] = v;
    }
  }
  return int32ListFromBuffers(values, offsets);
}

export function int32ListFromBuffers(values: Int32Array, offsets: Int32Array): Data<List<Int32>> {
  const child = makeData({ type: new Int32(), length: values.length, data: values });
  return makeData({ type: new List(new Field('item', new Int32(), false)), length: offsets.length - 1, valueOffsets: offsets, child });
}

/** A `FixedSizeList<T>[width]` column over one row-major buffer. */
export function fixedSizeListColumn(
  values: Int32Array | Float32Array,
  width: number,
  column: string,
): Data<FixedSizeList<Int32 | Float32>> {
  if (!Number.isInteger(width) || width <= 0) throw new DatasetError(`column "${column}": width must be a positive integer, got ${width}`);
  if (values.length % width !== 0) {
    throw new DatasetError(`column "${column}": ${values.length} values do not split into rows of ${width}`);
  }
  const childType = values instanceof Int32Array ? new Int32() : new Float32();
  const child = makeData({ type: childType, length: values.length, data: values } as never) as unknown as Data<Int32 | Float32>;
  return makeData({ type: new FixedSizeList(width, new Field('item', childType, false)), length: values.length / width, child });
}

export interface NamedColumn {
  name: string;
  data: Data;
  nullable?: boolean;
}

/** One table of one record batch from equally long columns, with schema metadata. */
export function assembleTable(columns: readonly NamedColumn[], metadata: Map<string, string>): Table {
  const length = columns[0]?.data.length ?? 0;
  for (const column of columns) {
    if (column.data.length !== length) {
      throw new DatasetError(`column "${column.name}" has ${column.data.length} rows, column "${columns[0].name}" has ${length}`);
    }
  }
  const fields = columns.map((c) => new Field(c.name, c.data.type, c.nullable ?? false));
  const schema = new Schema(fields, metadata);
  const struct = makeData({ type: new Struct(fields), length, children: columns.map((c) => c.data), nullCount: 0 });
  return new Table(schema, [new RecordBatch(schema, struct)]);
}

export function metadataMap(...records: (Record<string, string> | undefined)[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const record of records) if (record) for (const [k, v] of Object.entries(record)) map.set(k, v);
  return map;
}
