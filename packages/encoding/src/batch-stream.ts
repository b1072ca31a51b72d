import { RecordBatch, Schema, Table } from 'apache-arrow';
import { recordBatches, type RecordBatchSource } from '@seqlearn/dataset';
import type { SequenceVectorizer } from './sequence-vectorizer.js';

/**
 * `vectorizer.fit` over a stream of sequences record batches (a sharded sequences dataset,
 * `sequenceBatches(…)` of @seqlearn/text, `readParquet(…)`), one batch in memory at a time.
 * Document frequencies add up across calls, so the result is the fit on the whole.
 */
export async function fitOnBatches(vectorizer: SequenceVectorizer, source: RecordBatchSource): Promise<SequenceVectorizer> {
  for await (const batch of recordBatches(source)) vectorizer.fit(new Table([batch]));
  return vectorizer;
}

/**
 * `vectorizer.transform` over a stream: one vectors record batch (`x:
 * FixedSizeList<Float32>[numWords]`, `label` carried over) per sequences batch, row for row
 * the vectors of the whole. Write them with `writeShards` for a sharded vectors dataset.
 */
export async function* vectorizeBatches(vectorizer: SequenceVectorizer, source: RecordBatchSource): AsyncGenerator<RecordBatch> {
  let schema: Schema | undefined;
  for await (const batch of recordBatches(source)) {
    const vectors = vectorizer.transform(new Table([batch]));
    schema ??= vectors.schema;
    yield new RecordBatch(schema, vectors.batches[0]!.data);
  }
}
