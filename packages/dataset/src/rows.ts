import {
  Data,
  DataType,
  Dictionary,
  Field,
  Int8,
  RecordBatch,
  Schema,
  Struct,
  Table,
  Utf8,
  makeData,
  makeVector,
  vectorFromArray,
} from 'apache-arrow';
import { DatasetError } from './errors.js';

/**
 * Row gathering over the column types of the seqlearn contract. It copies into fresh
 * buffers, one per column, so the result is a single record batch that zero-copy
 * views can then be taken of.
 */

type Locate = (row: number) => [chunk: Data, local: number];

function locator(chunks: readonly Data[]): Locate {
  if (chunks.length === 1) {
    const only = chunks[0];
    return (row) => [only, row];
  }
  const starts = new Int32Array(chunks.length + 1);
  chunks.forEach((c, i) => (starts[i + 1] = starts[i] + c.length));
  return (row) => {
    let lo = 0;
    let hi = chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= row) lo = mid;
      else hi = mid - 1;
    }
    return [chunks[lo], row - starts[lo]];
  };
}

type ArrayCtor = new (
  length: number,
) => ArrayLike<number | bigint> & { [i: number]: number | bigint; set(a: ArrayLike<number | bigint>, o?: number): void };

function gatherPrimitive(type: DataType, locate: Locate, indices: ArrayLike<number>): Data {
  const Ctor = (type as unknown as { ArrayType: ArrayCtor }).ArrayType;
  const out = new Ctor(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const [chunk, local] = locate(indices[k]);
    out[k] = (chunk.values as ArrayLike<number | bigint>)[local];
  }
  return makeData({ type, length: indices.length, data: out } as never);
}

function gatherFixedSizeList(type: DataType, locate: Locate, indices: ArrayLike<number>): Data {
  const width = (type as unknown as { listSize: number }).listSize;
  const childType = type.children[0].type;
  const Ctor = (childType as unknown as { ArrayType: ArrayCtor }).ArrayType;
  const out = new Ctor(indices.length * width);
  for (let k = 0; k < indices.length; k++) {
    const [chunk, local] = locate(indices[k]);
    const values = chunk.children[0].values as Int32Array | Float32Array;
    out.set(values.subarray(local * width, (local + 1) * width), k * width);
  }
  const child = makeData({ type: childType, length: out.length, data: out } as never) as Data;
  return makeData({ type, length: indices.length, child } as never);
}

/** List<Int32> and Utf8 share a layout: offsets into one value buffer. */
function gatherOffsets(type: DataType, locate: Locate, indices: ArrayLike<number>): Data {
  const isString = DataType.isUtf8(type);
  const offsets = new Int32Array(indices.length + 1);
  for (let k = 0; k < indices.length; k++) {
    const [chunk, local] = locate(indices[k]);
    const o = chunk.valueOffsets as Int32Array;
    offsets[k + 1] = offsets[k] + (o[local + 1] - o[local]);
  }
  const sample = locate(indices[0] ?? 0)[0];
  const sourceValues = (c: Data) => (isString ? c.values : c.children[0].values) as Uint8Array | Int32Array;
  const out = new (sourceValues(sample).constructor as new (n: number) => Uint8Array | Int32Array)(offsets[indices.length]);
  for (let k = 0; k < indices.length; k++) {
    const [chunk, local] = locate(indices[k]);
    const o = chunk.valueOffsets as Int32Array;
    out.set(sourceValues(chunk).subarray(o[local], o[local + 1]), offsets[k]);
  }
  if (isString) return makeData({ type: type as Utf8, length: indices.length, valueOffsets: offsets, data: out as Uint8Array });
  const childType = type.children[0].type;
  const child = makeData({ type: childType, length: out.length, data: out } as never) as Data;
  return makeData({ type, length: indices.length, valueOffsets: offsets, child } as never);
}

function gatherDictionary(locate: Locate, indices: ArrayLike<number>, name: string): Data {
  const strings: string[] = new Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const [chunk, local] = locate(indices[k]);
    strings[k] = makeVector(chunk).get(local) as string;
  }
  const vector = vectorFromArray(strings, new Dictionary(new Utf8(), new Int8()));
  if (vector.data.length !== 1) throw new DatasetError(`column "${name}": too many distinct values for an Int8 dictionary`);
  return vector.data[0];
}

function gatherColumn(field: Field, chunks: readonly Data[], indices: ArrayLike<number>): Data {
  for (const chunk of chunks) {
    if (chunk.nullCount > 0) throw new DatasetError(`column "${field.name}" has null values, which seqlearn tables do not use`);
  }
  const locate = locator(chunks);
  const type = field.type;
  if (DataType.isInt(type) || DataType.isFloat(type) || DataType.isTimestamp(type)) return gatherPrimitive(type, locate, indices);
  if (DataType.isFixedSizeList(type)) return gatherFixedSizeList(type, locate, indices);
  if (DataType.isList(type) || DataType.isUtf8(type)) return gatherOffsets(type, locate, indices);
  if (DataType.isDictionary(type)) return gatherDictionary(locate, indices, field.name);
  throw new DatasetError(`column "${field.name}" has type ${type}, which seqlearn tables do not use`);
}

/** A new one-batch table holding the given rows, in the given order (metadata kept). */
export function takeRows(table: Table, indices: ArrayLike<number>): Table {
  for (let k = 0; k < indices.length; k++) {
    const row = indices[k];
    if (!Number.isInteger(row) || row < 0 || row >= table.numRows) {
      throw new DatasetError(`row index ${row} (position ${k}) is outside the table's ${table.numRows} rows`);
    }
  }
  const fields = table.schema.fields;
  const children = fields.map((field, c) =>
    gatherColumn(
      field,
      table.batches.map((b) => b.data.children[c]),
      indices,
    ),
  );
  const newFields = fields.map((f, c) => new Field(f.name, children[c].type, f.nullable, f.metadata));
  const schema = new Schema(newFields, table.schema.metadata);
  const struct = makeData({ type: new Struct(newFields), length: indices.length, children, nullCount: 0 });
  return new Table(schema, [new RecordBatch(schema, struct)]);
}

/** The table as one record batch (needed for zero-copy column views); the same table if it already is. */
export function contiguous(table: Table): Table {
  if (table.batches.length === 1) return table;
  const all = new Int32Array(table.numRows);
  for (let i = 0; i < all.length; i++) all[i] = i;
  return takeRows(table, all);
}
