import { DataType, type RecordBatch, type Table } from 'apache-arrow';
import { contiguous, META, paddedSequencesTable, raggedSequencesTable, SchemaError, validateCorpus } from '@seqlearn/dataset';
import { TextInputError } from './errors.js';
import { utf8Slicer } from '#platform';
import { padSequences, type PadSequencesOptions } from './pad-sequences.js';
import { raggedRows } from './ragged.js';
import { Tokenizer } from './tokenizer.js';

export interface CorpusToSequencesOptions {
  /** Fit the tokenizer on the corpus first (default false: use it as fitted). */
  fit?: boolean;
  /** Pad to a FixedSizeList column (padSequences options; `maxlen` defaults to the longest row). Omit for ragged List rows. */
  pad?: PadSequencesOptions & { dtype?: 'int32' };
}

/**
 * The texts of a corpus table's `text` column, decoded straight from its Arrow buffers one
 * batch at a time. Feed it to `fitOnTexts` / `textsToSequences`.
 */
export function* corpusTexts(corpus: Table): Generator<string> {
  let row = 0;
  for (const batch of corpus.batches) {
    yield* recordBatchTexts(batch, 'text', row);
    row += batch.numRows;
  }
}

/** The strings of one record batch's Utf8 column; `firstRow` numbers rows in error messages. */
export function* recordBatchTexts(batch: RecordBatch, column = 'text', firstRow = 0): Generator<string> {
  const index = batch.schema.fields.findIndex((f) => f.name === column);
  if (index < 0)
    throw new SchemaError(
      `no "${column}" column (expected Utf8); the columns are ${batch.schema.fields.map((f) => f.name).join(', ')}`,
      column,
    );
  const data = batch.data.children[index]!;
  if (!DataType.isUtf8(data.type)) throw new SchemaError(`column "${column}" is ${String(data.type)}, expected Utf8`, column);
  const offsets = data.valueOffsets as Int32Array;
  const slice = utf8Slicer(data.values as Uint8Array);
  for (let i = 0; i < data.length; i++) {
    if (!data.getValid(i)) throw new TextInputError(`corpus row ${firstRow + i}: ${column} is null; expected a string`, firstRow + i);
    // Arrow JS slices valueOffsets along with the Data, so index them from 0.
    yield slice(offsets[i], offsets[i + 1]);
  }
}

/**
 * Corpus table in, sequences table out: `tokens` as `List<Int32>` (ragged) or, with `pad`,
 * `FixedSizeList<Int32>[maxlen]`; `label` carried over; the tokenizer's JSON in the schema
 * metadata (`seqlearn.tokenizer`), and the corpus's labels and source kept beside it.
 */
export function corpusToSequences(tokenizer: Tokenizer, corpus: Table, options: CorpusToSequencesOptions = {}): Table {
  validateCorpus(corpus);
  if (options.fit) tokenizer.fitOnTexts(corpusTexts(corpus));
  const ragged = tokenizer.textsToRaggedSequences(corpusTexts(corpus));
  // One chunk, so toArray() is a view of the label buffer, not a copy.
  const label = contiguous(corpus).getChild('label')!.toArray() as Int32Array;
  const meta = {
    tokenizer: tokenizer.toJSON(),
    metadata: carriedMetadata(corpus),
  };
  if (options.pad === undefined) return raggedSequencesTable({ tokens: raggedRows(ragged), label }, meta);
  const padded = padSequences(ragged, { ...options.pad, dtype: 'int32' });
  return paddedSequencesTable({ tokens: padded.values, maxlen: padded.columns, label }, meta);
}

/** The tokenizer saved in a sequences table's metadata, or undefined if it has none. */
export function tokenizerFromTable(table: Table): Tokenizer | undefined {
  const json = table.schema.metadata.get(META.tokenizer);
  return json === undefined ? undefined : Tokenizer.fromJSON(json);
}

function carriedMetadata(corpus: Table): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of [META.labels, META.source]) {
    const value = corpus.schema.metadata.get(key);
    if (value !== undefined) out[key] = value;
  }
  return out;
}
