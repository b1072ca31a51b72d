import { RecordBatch, Schema, Table } from 'apache-arrow';
import { describeValue } from './describe.js';
import { DatasetError } from './errors.js';
import { createRng } from './random.js';
import { takeRows } from './rows.js';

/**
 * Anything that yields Arrow record batches one after another: a table (its batches), an
 * array or generator of batches, an async generator, or a sharded dataset (which is an
 * async iterable of its batches). Streaming consumers (`fitOnBatches`, the vectorizers,
 * the window generators, `train()`) take one of these and hold one batch at a time.
 */
export type RecordBatchSource = Table | Iterable<RecordBatch> | AsyncIterable<RecordBatch>;

/** True for a value {@link recordBatches} accepts as a stream of record batches (tables included). */
export function isRecordBatchSource(value: unknown): value is RecordBatchSource {
  if (value instanceof Table) return true;
  if (value === null || typeof value !== 'object') return false;
  return (
    typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function' ||
    typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function'
  );
}

/** The batches of any {@link RecordBatchSource}, as one async stream; a table's batches are handed out as they are. */
export async function* recordBatches(source: RecordBatchSource): AsyncGenerator<RecordBatch> {
  if (source instanceof Table) {
    yield* source.batches;
    return;
  }
  if (!isRecordBatchSource(source))
    throw new DatasetError(`expected a table or an iterable of Arrow record batches, got ${describeValue(source)}`);
  let index = 0;
  for await (const batch of source as AsyncIterable<RecordBatch>) {
    if (!(batch instanceof RecordBatch)) {
      throw new DatasetError(
        `item ${index} of the stream is ${describeValue(batch)}, not an Arrow RecordBatch (pass a table's .batches or a sharded dataset)`,
      );
    }
    index++;
    yield batch;
  }
}

export interface ShuffleOptions {
  /** Seed of the shuffle: the same seed and input give the same order. */
  seed: number;
  /**
   * Rows held at once (default 10,000). A row leaves the buffer at a random position and the
   * next input row takes its place, so a larger buffer mixes more and holds more memory.
   */
  bufferSize?: number;
  /** Rows per output batch (default: the size of the first input batch). */
  batchSize?: number;
}

/**
 * A seeded shuffle of a stream of record batches through a buffer of `bufferSize` rows
 * (TensorFlow's `Dataset.shuffle`): memory is bounded by the buffer and the input batches it
 * still holds rows of, not by the data. With a buffer as large as the data, every order is
 * possible; with a smaller one, rows move at most about a buffer's length from where they were.
 */
export async function* shuffleBatches(source: RecordBatchSource, options: ShuffleOptions): AsyncGenerator<RecordBatch> {
  const { seed } = options;
  if (!Number.isFinite(seed)) throw new DatasetError(`shuffle seed must be a number, got ${describeValue(seed)}`);
  const bufferSize = options.bufferSize ?? 10_000;
  if (!Number.isInteger(bufferSize) || bufferSize < 1)
    throw new DatasetError(`bufferSize must be an integer >= 1, got ${describeValue(options.bufferSize)}`);
  if (options.batchSize !== undefined && (!Number.isInteger(options.batchSize) || options.batchSize < 1)) {
    throw new DatasetError(`batchSize must be an integer >= 1, got ${describeValue(options.batchSize)}`);
  }
  const rng = createRng(seed);
  // The buffer holds (batch slot, row) pairs; a slot's batch is dropped once none of its rows is left.
  const slotOf = new Int32Array(bufferSize);
  const rowOf = new Int32Array(bufferSize);
  let filled = 0;
  const held: (RecordBatch | undefined)[] = [];
  const remaining: number[] = [];
  let schema: Schema | undefined;
  let batchSize = options.batchSize;
  const picked: [number, number][] = [];

  const emit = (): RecordBatch => {
    const slots = new Map<number, number>();
    const batches: RecordBatch[] = [];
    const starts: number[] = [];
    let rows = 0;
    for (const [slot] of picked) {
      if (slots.has(slot)) continue;
      slots.set(slot, batches.length);
      starts.push(rows);
      batches.push(held[slot]!);
      rows += held[slot]!.numRows;
    }
    const indices = Int32Array.from(picked, ([slot, row]) => starts[slots.get(slot)!]! + row);
    const table = new Table(
      schema!,
      batches.map((b) => (b.schema === schema ? b : new RecordBatch(schema!, b.data))),
    );
    for (const [slot] of picked) if (--remaining[slot]! === 0) held[slot] = undefined;
    picked.length = 0;
    return takeRows(table, indices).batches[0]!;
  };

  for await (const batch of recordBatches(source)) {
    if (batch.numRows === 0) continue;
    schema ??= batch.schema;
    batchSize ??= batch.numRows;
    const slot = held.length;
    held.push(batch);
    remaining.push(batch.numRows);
    for (let row = 0; row < batch.numRows; row++) {
      if (filled < bufferSize) {
        slotOf[filled] = slot;
        rowOf[filled] = row;
        filled++;
        continue;
      }
      const k = rng.nextInt(bufferSize);
      picked.push([slotOf[k]!, rowOf[k]!]);
      slotOf[k] = slot;
      rowOf[k] = row;
      if (picked.length === batchSize) yield emit();
    }
  }
  // Drain: a seeded Fisher–Yates over what is left.
  for (let i = filled - 1; i >= 0; i--) {
    const j = rng.nextInt(i + 1);
    picked.push([slotOf[j]!, rowOf[j]!]);
    slotOf[j] = slotOf[i]!;
    rowOf[j] = rowOf[i]!;
    if (picked.length === batchSize) yield emit();
  }
  if (picked.length > 0) yield emit();
}

/** Record batches of exactly `batchSize` rows (the last may be shorter), cut from and glued across the input's batches. */
export async function* rebatch(source: RecordBatchSource, batchSize: number): AsyncGenerator<RecordBatch> {
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new DatasetError(`batchSize must be an integer >= 1, got ${describeValue(batchSize)}`);
  let pending: RecordBatch[] = [];
  let pendingRows = 0;
  const flush = (rows: number): RecordBatch => {
    const schema = pending[0]!.schema;
    const table = new Table(
      schema,
      pending.map((b) => (b.schema === schema ? b : new RecordBatch(schema, b.data))),
    );
    const out = takeRows(
      table,
      Int32Array.from({ length: rows }, (_, i) => i),
    ).batches[0]!;
    const rest = table.slice(rows);
    pending = rest.numRows > 0 ? rest.batches.slice() : [];
    pendingRows = rest.numRows;
    return out;
  };
  for await (const batch of recordBatches(source)) {
    if (batch.numRows === 0) continue;
    if (pendingRows === 0 && batch.numRows === batchSize) {
      yield batch;
      continue;
    }
    pending.push(batch);
    pendingRows += batch.numRows;
    while (pendingRows >= batchSize) yield flush(batchSize);
  }
  if (pendingRows > 0) yield flush(pendingRows);
}
