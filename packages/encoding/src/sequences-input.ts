import { Table } from 'apache-arrow';
import { META, SchemaError, columnValues, contiguous } from '@seqlearn/dataset';
import { describe, tokenIdError } from './errors.js';

/** A sequences table (`tokens: List<Int32>` or `FixedSizeList<Int32>[maxlen]`) or plain arrays of token ids. */
export type SequencesInput = Table | readonly ArrayLike<number>[];

/** Token sequences as one flat buffer: row `i` is `values[start(i) .. end(i))`. */
export interface FlatSequences {
  rows: number;
  values: ArrayLike<number>;
  /** Ragged rows: offsets (length rows + 1, may not start at 0). */
  offsets?: Int32Array;
  /** Padded rows: the fixed row width. */
  width?: number;
  label?: ArrayLike<number>;
  /** The table's `seqlearn.tokenizer` metadata, if any. */
  tokenizerJson?: string;
}

export function rowStart(s: FlatSequences, row: number): number {
  return s.offsets ? s.offsets[row] : row * (s.width as number);
}

export function rowEnd(s: FlatSequences, row: number): number {
  return s.offsets ? s.offsets[row + 1] : (row + 1) * (s.width as number);
}

/** Duck-typed, so a Table from another copy of apache-arrow is accepted too. */
function isTable(input: unknown): input is Table {
  if (input instanceof Table) return true;
  const t = input as { schema?: { fields?: unknown }; batches?: unknown } | null;
  return typeof t === 'object' && t !== null && Array.isArray(t.batches) && Array.isArray(t.schema?.fields);
}

function fromTable(input: Table, where: string): FlatSequences {
  const table = contiguous(input);
  const names = table.schema.fields.map((f) => f.name);
  if (!names.includes('tokens')) {
    throw new SchemaError(
      `${where}: a sequences table needs a "tokens" column (List<Int32> or FixedSizeList<Int32>[maxlen]); columns are ${names.join(', ') || 'none'}`,
      'tokens',
    );
  }
  const tokenField = table.schema.fields[names.indexOf('tokens')];
  if (table.numRows === 0) return { rows: 0, values: new Int32Array(0), width: 1 };
  const view = columnValues(table, 'tokens');
  if (view.offsets === undefined && view.width === undefined) {
    throw new SchemaError(
      `${where}: column "tokens" is ${tokenField.type}; expected List<Int32> or FixedSizeList<Int32>[maxlen]`,
      'tokens',
    );
  }
  if (view.values instanceof BigInt64Array) {
    throw new SchemaError(`${where}: column "tokens" holds 64-bit integers; expected Int32 token ids`, 'tokens');
  }
  const label = names.includes('label') ? columnValues(table, 'label').values : undefined;
  return {
    rows: table.numRows,
    values: view.values,
    offsets: view.offsets,
    width: view.width,
    label: label instanceof BigInt64Array ? undefined : label,
    tokenizerJson: table.schema.metadata.get(META.tokenizer),
  };
}

function fromArrays(input: readonly ArrayLike<number>[], where: string): FlatSequences {
  const offsets = new Int32Array(input.length + 1);
  input.forEach((seq, i) => {
    if (seq === null || typeof seq !== 'object' || typeof seq.length !== 'number') {
      throw tokenIdError(i, 0, seq, `an array of token ids for the whole sequence (${where})`);
    }
    offsets[i + 1] = offsets[i] + seq.length;
  });
  const values = new Float64Array(offsets[input.length]);
  input.forEach((seq, i) => {
    for (let j = 0; j < seq.length; j++) {
      const v: unknown = seq[j];
      if (typeof v !== 'number') throw tokenIdError(i, j, v);
      // Range and integrality are checked where the ids are used, with the same message.
      values[offsets[i] + j] = v;
    }
  });
  return { rows: input.length, values, offsets };
}

export function readSequences(input: SequencesInput, where: string): FlatSequences {
  if (isTable(input)) return fromTable(input, where);
  if (Array.isArray(input)) return fromArrays(input, where);
  throw new SchemaError(`${where}: expected a sequences table or an array of token-id arrays, got ${describe(input)}`);
}

/** The `seqlearn.tokenizer` metadata of a sequences table (undefined for plain arrays). */
export function tokenizerJsonOf(input: SequencesInput): string | undefined {
  return isTable(input) ? input.schema.metadata.get(META.tokenizer) : undefined;
}
