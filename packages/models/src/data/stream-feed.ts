import { Table, type RecordBatch } from 'apache-arrow';
import { rebatch, recordBatches } from '@seqlearn/dataset';
import { ModelConfigError } from '../errors.js';
import { tableBatches, type TableArrays } from './table-feed.js';
import type { HostBatch } from './types.js';

/**
 * A stream of sequences or vectors record batches that can be read again each epoch: a sharded
 * dataset from `@seqlearn/dataset/shards` (its `batches({ shuffle })` gives each epoch a seeded
 * shard order and shuffle buffer), or any re-iterable async source of record batches.
 */
export interface RecordBatchDataset extends AsyncIterable<RecordBatch> {
  /** Rows, when known (a sharded dataset's manifest has them): gives the steps per epoch. */
  readonly numRows?: number;
  batches?(options: { shuffle?: { seed: number; bufferSize?: number } }): AsyncIterable<RecordBatch>;
}

export function isRecordBatchDataset(data: unknown): data is RecordBatchDataset {
  return (
    typeof data === 'object' &&
    data !== null &&
    typeof (data as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function' &&
    typeof (data as Iterable<unknown>)[Symbol.iterator] !== 'function'
  );
}

/**
 * One pass over a record batch stream: rows regrouped into batches of exactly `batchSize` (the
 * last may be shorter), each checked by `check` as a one-batch table before it becomes host
 * arrays. Memory holds a record batch or two, never the dataset.
 */
export async function* streamPass(
  data: RecordBatchDataset,
  batchSize: number,
  shuffleSeed: number | undefined,
  withLabels: boolean,
  check: (table: Table) => TableArrays,
): AsyncGenerator<HostBatch> {
  let source: AsyncIterable<RecordBatch> = data;
  if (shuffleSeed !== undefined) {
    if (typeof data.batches !== 'function') {
      throw new ModelConfigError(
        'train: shuffling a record batch stream needs a sharded dataset (openShards); pass shuffle: false for a plain stream',
      );
    }
    source = data.batches({ shuffle: { seed: shuffleSeed } });
  }
  for await (const batch of rebatch(recordBatches(source), batchSize)) {
    const arrays = check(new Table([batch]));
    yield* tableBatches(arrays, { batchSize, start: 0, end: arrays.rows, shuffleSeed: undefined, withLabels });
  }
}
