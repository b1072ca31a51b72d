import { Data, DataType, Table, tableFromIPC, tableToIPC } from 'apache-arrow';
import { writeFileAtomic, writeFileAtomicSync } from './atomic-write.js';
import { IpcError, SchemaError } from './errors.js';
import { readFile, readFileSync } from '#platform';
import type { TableKind } from './metadata.js';
import { contiguous } from './rows.js';
import { validateTable } from './schemas/validate.js';

/** Arrow IPC files start and end with these bytes; a truncated file lacks the trailing ones. */
const MAGIC = Uint8Array.from('ARROW1', (c) => c.charCodeAt(0));

const hasMagicAt = (bytes: Uint8Array, at: number): boolean => MAGIC.every((b, i) => bytes[at + i] === b);

/** Writes `table` as an Arrow IPC file: to a temporary file first, then renamed over `path`. */
export async function writeTable(path: string, table: Table): Promise<void> {
  const bytes = tableToIPC(table, 'file');
  try {
    await writeFileAtomic(path, bytes);
  } catch (cause) {
    throw new IpcError(path, `could not write the table: ${(cause as Error).message}`, { cause });
  }
}

export function writeTableSync(path: string, table: Table): void {
  const bytes = tableToIPC(table, 'file');
  try {
    writeFileAtomicSync(path, bytes);
  } catch (cause) {
    throw new IpcError(path, `could not write the table: ${(cause as Error).message}`, { cause });
  }
}

export interface ReadTableOptions {
  /** Validate the table as this kind of the seqlearn contract. */
  kind?: TableKind;
}

export async function readTable(path: string, options: ReadTableOptions = {}): Promise<Table> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw new IpcError(path, `could not read the file: ${(cause as Error).message}`, { cause });
  }
  return decode(path, bytes, options);
}

export function readTableSync(path: string, options: ReadTableOptions = {}): Table {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (cause) {
    throw new IpcError(path, `could not read the file: ${(cause as Error).message}`, { cause });
  }
  return decode(path, bytes, options);
}

function decode(path: string, bytes: Uint8Array, options: ReadTableOptions): Table {
  if (bytes.length < 2 * MAGIC.length + 4 || !hasMagicAt(bytes, 0)) {
    throw new IpcError(path, 'not an Arrow IPC file (it does not start with "ARROW1")');
  }
  if (!hasMagicAt(bytes, bytes.length - MAGIC.length)) {
    throw new IpcError(path, `truncated: the file (${bytes.length} bytes) ends before the Arrow footer`);
  }
  let table: Table;
  try {
    table = contiguous(tableFromIPC(bytes));
    table.batches.forEach((batch, b) =>
      batch.data.children.forEach((column, c) => checkStructure(column, `${table.schema.fields[c].name}`, b)),
    );
  } catch (cause) {
    if (cause instanceof IpcError) throw cause;
    throw new IpcError(path, `corrupted Arrow data: ${(cause as Error).message}`, { cause });
  }
  if (options.kind) {
    try {
      validateTable(table, options.kind);
    } catch (cause) {
      if (cause instanceof SchemaError) throw new SchemaError(`${path}: ${cause.message}`, cause.column);
      throw cause;
    }
  }
  return table;
}

/** Buffers whose lengths or offsets disagree with the row count mean the bytes were damaged. */
function checkStructure(data: Data, column: string, batch: number): void {
  const fail = (what: string): never => {
    throw new Error(`column "${column}" in record batch ${batch}: ${what}`);
  };
  const type = data.type;
  if (DataType.isInt(type) || DataType.isFloat(type) || DataType.isTimestamp(type)) {
    if ((data.values?.length ?? 0) < data.length) fail(`${data.values?.length ?? 0} values for ${data.length} rows`);
  } else if (DataType.isList(type) || DataType.isUtf8(type)) {
    const offsets = data.valueOffsets as Int32Array;
    const valueCount = DataType.isUtf8(type) ? data.values.length : data.children[0].length;
    if (offsets.length < data.length + 1) fail(`${offsets.length} offsets for ${data.length} rows`);
    for (let i = 0; i < data.length; i++) {
      if (offsets[i + 1] < offsets[i] || offsets[i + 1] > valueCount)
        fail(`offset ${offsets[i + 1]} at row ${i} is out of order or past the ${valueCount} values`);
    }
    if (DataType.isList(type)) checkStructure(data.children[0], `${column}.item`, batch);
  } else if (DataType.isFixedSizeList(type)) {
    if (data.children[0].length < data.length * type.listSize)
      fail(`${data.children[0].length} values for ${data.length} rows of ${type.listSize}`);
    checkStructure(data.children[0], `${column}.item`, batch);
  } else if (DataType.isDictionary(type)) {
    const size = data.dictionary?.length ?? 0;
    const keys = data.values as Int8Array;
    for (let i = 0; i < data.length; i++)
      if (keys[i] < 0 || keys[i] >= size) fail(`dictionary key ${keys[i]} at row ${i} is outside the ${size} entries`);
  }
}
