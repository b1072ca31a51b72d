import { Data, Field, Int32, List, RecordBatch, Schema, Struct, Table, Utf8, makeData, vectorFromArray } from 'apache-arrow';
import { CorporaOptionError } from './errors.js';

/** A column added to a table built by @seqlearn/dataset (e.g. IMDB's `rating`, Reuters's `topics`). */
export interface ExtraColumn {
  name: string;
  data: Data;
}

export function int32Data(values: Int32Array): Data<Int32> {
  return makeData({ type: new Int32(), length: values.length, data: values });
}

export function utf8Data(values: string[]): Data<Utf8> {
  return vectorFromArray(values, new Utf8()).data[0];
}

/** A `List<Int32>` column from ragged rows, built from one flat buffer plus offsets. */
export function int32ListData(rows: readonly ArrayLike<number>[]): Data<List<Int32>> {
  const offsets = new Int32Array(rows.length + 1);
  for (let i = 0; i < rows.length; i++) offsets[i + 1] = offsets[i] + rows[i].length;
  const flat = new Int32Array(offsets[rows.length]);
  rows.forEach((row, i) => flat.set(row, offsets[i]));
  const child = int32Data(flat);
  return makeData({ type: new List(new Field('item', new Int32(), false)), length: rows.length, valueOffsets: offsets, child });
}

/** The same table with columns appended; metadata and existing buffers are kept as they are. */
export function withColumns(table: Table, extra: readonly ExtraColumn[]): Table {
  if (table.batches.length !== 1) throw new CorporaOptionError('withColumns expects a table of one record batch');
  const batch = table.batches[0];
  for (const column of extra) {
    if (column.data.length !== table.numRows) {
      throw new CorporaOptionError(`column "${column.name}" has ${column.data.length} rows, the table has ${table.numRows}`);
    }
  }
  const fields = [...table.schema.fields, ...extra.map((c) => new Field(c.name, c.data.type, false))];
  const schema = new Schema(fields, table.schema.metadata);
  const children = [...batch.data.children, ...extra.map((c) => c.data)];
  const struct = makeData({ type: new Struct(fields), length: table.numRows, children, nullCount: 0 });
  return new Table(schema, [new RecordBatch(schema, struct)]);
}
