import type { Table } from 'apache-arrow';
import { ModelConfigError } from '../errors.js';
import { checkInput, checkLabels, checkTokens, type ModelSignature } from './check.js';
import { GeneratorFeed, isGeneratorData } from './generator-feed.js';
import { isRecordBatchDataset, streamPass } from './stream-feed.js';
import { tableArrays, tableBatches, tableSteps, type TableArrays } from './table-feed.js';
import type { HostBatch, ModelData } from './types.js';

/** One source of batches for a model, already checked against it, read pass by pass. */
export interface Feed {
  /** Batches a pass (Infinity for a finite iterable of unknown length). */
  readonly steps: number;
  /** Rows, when known up front (tables). */
  readonly samples: number | undefined;
  pass(shuffleSeed: number | undefined): Iterable<HostBatch> | AsyncIterable<HostBatch>;
}

export interface FeedOptions {
  batchSize: number;
  /** Rows `[start, end)` of a table (for validationSplit). */
  start?: number;
  end?: number;
  steps?: number;
  stepsOption?: string;
  withLabels: boolean;
  /** Tables: one loss weight per table row. */
  weights?: Float32Array;
}

function isTable(data: unknown): data is Table {
  return typeof data === 'object' && data !== null && 'schema' in data && 'numRows' in data && 'batches' in data;
}

/** A table's arrays, checked once against the model (shape, dtype, token range, labels). */
export function checkedTableArrays(sig: ModelSignature, table: Table, where: string, withLabels: boolean): TableArrays {
  const arrays = tableArrays(table, where);
  checkInput(sig, arrays.sampleShape, arrays.dtype, `${where} (column '${arrays.column}')`);
  if (arrays.dtype === 'int32') checkTokens(sig, arrays.x.values as ArrayLike<number>, `${where} (column '${arrays.column}')`);
  if (withLabels) {
    if (arrays.label === undefined) {
      throw new ModelConfigError(`${where}: the table has no 'label' column; training and evaluation need one`);
    }
    checkLabels(sig, arrays.label.values as ArrayLike<number>, `${where} (column 'label')`);
  }
  return arrays;
}

function tableFeed(sig: ModelSignature, arrays: TableArrays, opts: FeedOptions): Feed {
  const start = opts.start ?? 0;
  const end = opts.end ?? arrays.rows;
  const steps = tableSteps(start, end, opts.batchSize);
  return {
    steps,
    samples: end - start,
    pass: (shuffleSeed) =>
      tableBatches(arrays, { batchSize: opts.batchSize, start, end, shuffleSeed, withLabels: opts.withLabels, weights: opts.weights }),
  };
}

/** Generator batches are checked as they arrive, each before it becomes a tensor. */
function* checkedGeneratorPass(
  sig: ModelSignature,
  feed: GeneratorFeed,
  shuffleSeed: number | undefined,
  withLabels: boolean,
  where: string,
): Generator<HostBatch> {
  let step = 0;
  for (const batch of feed.epoch(shuffleSeed, withLabels)) {
    checkInput(sig, batch.xShape.slice(1), 'float32', `${where}, batch ${step}`);
    if (withLabels && batch.y !== undefined && sig.head !== 'regression') checkLabels(sig, batch.y, `${where}, batch ${step}`);
    step++;
    yield batch;
  }
}

export function makeFeed(sig: ModelSignature, data: ModelData | TableArrays, opts: FeedOptions, where: string): Feed {
  if (!Number.isInteger(opts.batchSize) || opts.batchSize < 1) {
    throw new ModelConfigError(`${where}: batchSize must be a positive integer, got ${opts.batchSize}`);
  }
  if (isTable(data)) return tableFeed(sig, checkedTableArrays(sig, data, where, opts.withLabels), opts);
  if (isTableArrays(data)) return tableFeed(sig, data, opts);
  if (isRecordBatchDataset(data)) {
    const rows = data.numRows;
    return {
      steps: rows === undefined ? Infinity : Math.ceil(rows / opts.batchSize),
      samples: rows,
      pass: (shuffleSeed) =>
        streamPass(data, opts.batchSize, shuffleSeed, opts.withLabels, (table) => checkedTableArrays(sig, table, where, opts.withLabels)),
    };
  }
  if (isGeneratorData(data)) {
    const feed = new GeneratorFeed(data as never, opts.steps, where, opts.stepsOption ?? 'steps');
    return {
      steps: feed.steps,
      samples: undefined,
      pass: (shuffleSeed) => checkedGeneratorPass(sig, feed, shuffleSeed, opts.withLabels, where),
    };
  }
  throw new ModelConfigError(
    `${where}: data must be an Arrow Table, a sharded dataset (or another stream of record batches) or a window generator from @seqlearn/timeseries, got ${typeof data}`,
  );
}

function isTableArrays(data: unknown): data is TableArrays {
  return typeof data === 'object' && data !== null && 'table' in data && 'sampleShape' in data && 'column' in data;
}

export { isTable };
export type { TableArrays };
