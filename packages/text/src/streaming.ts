import { RecordBatch, Schema } from 'apache-arrow';
import { META, paddedSequencesTable, raggedSequencesTable, recordBatches, type RecordBatchSource } from '@seqlearn/dataset';
import { InvalidOptionError } from './errors.js';
import { recordBatchTexts } from './arrow.js';
import { padSequences, type PadSequencesOptions } from './pad-sequences.js';
import { raggedRows } from './ragged.js';
import type { Tokenizer } from './tokenizer.js';
import { TokenCountsMerger } from './token-counts.js';

export interface FitOnBatchesOptions {
  /** The Utf8 column holding the texts (default 'text', the corpus column). */
  column?: string;
  /** Called with the number of texts read so far, after each record batch. */
  onProgress?: (texts: number) => void;
}

/**
 * `fitOnTexts` over a stream of record batches (a sharded dataset, `readParquet(…)`, a table):
 * each batch is counted on its own (`tokenizer.countTexts`) and the counts are merged in order
 * (`TokenCountsMerger`), so memory holds one batch and the vocabulary, never the corpus, and the
 * result is the in-memory fit's to the last count and index. The tokenizer changes only once the
 * whole stream has been read.
 */
export async function fitOnBatches(tokenizer: Tokenizer, source: RecordBatchSource, options: FitOnBatchesOptions = {}): Promise<void> {
  const column = options.column ?? 'text';
  const merger = new TokenCountsMerger();
  let rows = 0;
  for await (const batch of recordBatches(source)) {
    merger.add(tokenizer.countTexts(recordBatchTexts(batch, column, rows), rows));
    rows += batch.numRows;
    options.onProgress?.(rows);
  }
  tokenizer.fitOnCounts(merger.result());
}

export interface SequenceBatchesOptions {
  /** The Utf8 column holding the texts (default 'text'). */
  column?: string;
  /**
   * Pad every batch to `FixedSizeList<Int32>[maxlen]` (padSequences options). A stream cannot
   * look ahead for its longest row, so `maxlen` is required here. Omit for ragged `List<Int32>` rows.
   */
  pad?: PadSequencesOptions & { maxlen: number };
}

/**
 * `corpusToSequences` for streams: one sequences record batch per corpus batch, with the
 * `label` column carried over and the tokenizer's JSON (plus the corpus's labels and source) in
 * the schema metadata. Write the result with `writeShards` to get a sharded sequences dataset.
 */
export async function* sequenceBatches(
  tokenizer: Tokenizer,
  source: RecordBatchSource,
  options: SequenceBatchesOptions = {},
): AsyncGenerator<RecordBatch> {
  const column = options.column ?? 'text';
  const pad = options.pad;
  if (pad !== undefined && (!Number.isInteger(pad.maxlen) || pad.maxlen < 1)) {
    throw new InvalidOptionError(
      'pad.maxlen',
      `a stream is padded to a fixed length: pad.maxlen must be an integer >= 1, got ${String(pad.maxlen)}`,
    );
  }
  let tokenizerJson: string | undefined;
  let schema: Schema | undefined;
  let rows = 0;
  for await (const batch of recordBatches(source)) {
    tokenizerJson ??= tokenizer.toJSON();
    const ragged = tokenizer.textsToRaggedSequences(recordBatchTexts(batch, column, rows));
    const labelData = batch.getChild('label');
    const label = labelData === null ? undefined : (labelData.toArray() as Int32Array);
    const meta = { tokenizer: tokenizerJson, metadata: carried(batch.schema) };
    const table =
      pad === undefined
        ? raggedSequencesTable({ tokens: raggedRows(ragged), label }, meta)
        : (() => {
            const padded = padSequences(ragged, { ...pad, dtype: 'int32' });
            return paddedSequencesTable({ tokens: padded.values, maxlen: padded.columns, label }, meta);
          })();
    rows += batch.numRows;
    schema ??= table.schema;
    yield new RecordBatch(schema, table.batches[0]!.data);
  }
}

function carried(schema: Schema): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of [META.labels, META.source]) {
    const value = schema.metadata.get(key);
    if (value !== undefined) out[key] = value;
  }
  return out;
}
