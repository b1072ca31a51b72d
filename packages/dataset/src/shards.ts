import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { RecordBatch, RecordBatchFileWriter, RecordBatchReader, Schema, Table } from 'apache-arrow';
import { AtomicFile, writeFileAtomic } from './atomic-write.js';
import { recordBatches, shuffleBatches, type RecordBatchSource } from './batch-stream.js';
import { describeValue } from './describe.js';
import { DatasetError, IpcError, OptionError, SchemaError } from './errors.js';
import { tableKind, type TableKind } from './metadata.js';
import { readParquet, writeParquet, type ParquetCompression } from './parquet.js';
import { createRng } from './random.js';
import { validateTable } from './schemas/validate.js';
import {
  MANIFEST_FILE,
  describeSchema,
  parseManifest,
  schemaDifference,
  type ShardFormat,
  type ShardInfo,
  type ShardManifest,
} from './shard-manifest.js';

export interface ShardWriterOptions {
  /** Rows per shard (default 100,000); the last shard holds the rest. */
  rowsPerShard?: number;
  /** 'arrow' (default): Arrow IPC files. 'parquet': Parquet files that DuckDB, Polars or Spark read as they are. */
  format?: ShardFormat;
  /** Add shards to an existing dataset in the folder (its schema must match) rather than refuse to touch it. */
  append?: boolean;
  /** Parquet shards only (default 'snappy'). */
  compression?: ParquetCompression;
}

/**
 * Writes a dataset as a folder of shards plus `manifest.json`. Rows go to the current shard as
 * they come; a full shard is written to a temporary file, renamed into place, and only then
 * listed in the manifest, which is itself replaced atomically, so a reader (or a crash) only
 * ever sees whole shards. Arrow shards are written batch by batch as they stream in; a Parquet
 * shard is encoded when it is full, so it holds a shard's rows in memory. One writer per folder.
 */
export class ShardWriter {
  readonly dir: string;
  private manifest: ShardManifest;
  private readonly rowsPerShard: number;
  private readonly compression: ParquetCompression | undefined;
  private schema: Schema | undefined;
  private current: OpenShard | undefined;
  private closed = false;

  private constructor(dir: string, manifest: ShardManifest, rowsPerShard: number, compression: ParquetCompression | undefined) {
    this.dir = dir;
    this.manifest = manifest;
    this.rowsPerShard = rowsPerShard;
    this.compression = compression;
  }

  /** Opens `dir` for writing (creating it), or for appending with `append: true`. */
  static async open(dir: string, options: ShardWriterOptions = {}): Promise<ShardWriter> {
    const rowsPerShard = options.rowsPerShard ?? 100_000;
    if (!Number.isInteger(rowsPerShard) || rowsPerShard < 1)
      throw new OptionError(`rowsPerShard must be an integer >= 1, got ${describeValue(options.rowsPerShard)}`, { option: 'rowsPerShard' });
    const format = options.format ?? 'arrow';
    if (format !== 'arrow' && format !== 'parquet')
      throw new OptionError(`format must be "arrow" or "parquet", got ${describeValue(options.format)}`, { option: 'format' });
    await mkdir(dir, { recursive: true });
    const existing = await readManifestIfAny(dir);
    if (existing !== undefined && !options.append) {
      throw new DatasetError(
        `${dir} already holds a sharded dataset (${existing.rows} rows in ${existing.shards.length} shards): pass { append: true } to add to it, or choose an empty folder`,
      );
    }
    if (existing !== undefined && existing.shardFormat !== format && options.format !== undefined) {
      throw new OptionError(`${dir} holds ${existing.shardFormat} shards; cannot append ${format} shards to it`, { option: 'format' });
    }
    const manifest: ShardManifest = existing ?? {
      format: 'seqlearn.shards',
      version: 1,
      shardFormat: format,
      kind: null,
      schema: { fields: [], metadata: {} },
      rows: 0,
      shards: [],
    };
    return new ShardWriter(dir, manifest, rowsPerShard, options.compression);
  }

  /** Rows written so far, over every shard (the current one included). */
  get rows(): number {
    return this.manifest.rows + (this.current?.rows ?? 0);
  }

  /** Appends rows: a record batch, a table, or any stream of batches. */
  async write(rows: RecordBatch | RecordBatchSource): Promise<void> {
    if (this.closed) throw new DatasetError(`the shard writer for ${this.dir} is closed`);
    const source = rows instanceof RecordBatch ? [rows] : rows;
    for await (const batch of recordBatches(source)) await this.writeBatch(batch);
  }

  /** Writes the last, partly filled shard and the final manifest. Returns the manifest. */
  async close(): Promise<ShardManifest> {
    if (!this.closed) {
      this.closed = true;
      await this.finishShard();
      if (this.manifest.shards.length === 0) await this.saveManifest();
    }
    return this.manifest;
  }

  private async writeBatch(batch: RecordBatch): Promise<void> {
    if (this.schema === undefined) this.adoptSchema(batch.schema);
    const difference = schemaDifference(this.manifest.schema, describeSchema(batch.schema));
    if (difference !== undefined) throw new SchemaError(`${this.dir}: a record batch's ${difference}`);
    this.validate(batch);
    let offset = 0;
    while (offset < batch.numRows) {
      this.current ??= await this.startShard();
      const take = Math.min(batch.numRows - offset, this.rowsPerShard - this.current.rows);
      const piece = offset === 0 && take === batch.numRows ? batch : batch.slice(offset, offset + take);
      await this.current.write(new RecordBatch(this.schema!, piece.data));
      offset += take;
      if (this.current.rows === this.rowsPerShard) await this.finishShard();
    }
  }

  private adoptSchema(schema: Schema): void {
    if (this.manifest.shards.length === 0 && this.manifest.schema.fields.length === 0) {
      this.manifest = { ...this.manifest, kind: tableKind(new Table(schema)) ?? null, schema: describeSchema(schema) };
    }
    this.schema = schema;
  }

  /** Rows of a seqlearn table kind are checked against its contract before they reach a shard. */
  private validate(batch: RecordBatch): void {
    const kind = this.manifest.kind;
    if (kind === null) return;
    try {
      validateTable(new Table(this.schema!, [new RecordBatch(this.schema!, batch.data)]), kind);
    } catch (cause) {
      if (cause instanceof SchemaError)
        throw new SchemaError(`${this.dir}: rows ${this.rows}…${this.rows + batch.numRows - 1}: ${cause.message}`, cause.column);
      throw cause;
    }
  }

  private async startShard(): Promise<OpenShard> {
    const index = this.manifest.shards.length;
    const format = this.manifest.shardFormat;
    const file = `part-${String(index).padStart(5, '0')}.${format}`;
    return format === 'arrow' ? openArrowShard(this.dir, file) : openParquetShard(this.dir, file, this.compression);
  }

  private async finishShard(): Promise<void> {
    const shard = this.current;
    if (shard === undefined) return;
    this.current = undefined;
    const info = await shard.finish();
    this.manifest = { ...this.manifest, rows: this.manifest.rows + info.rows, shards: [...this.manifest.shards, info] };
    await this.saveManifest();
  }

  private async saveManifest(): Promise<void> {
    await writeFileAtomic(join(this.dir, MANIFEST_FILE), `${JSON.stringify(this.manifest, null, 2)}\n`);
  }
}

interface OpenShard {
  rows: number;
  write(batch: RecordBatch): Promise<void>;
  finish(): Promise<ShardInfo>;
}

async function openArrowShard(dir: string, file: string): Promise<OpenShard> {
  const path = join(dir, file);
  const target = new AtomicFile(path);
  const writer = new RecordBatchFileWriter();
  const hash = createHash('sha256');
  let bytes = 0;
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  const written = pipeline(writer.toNodeStream(), hashing, createWriteStream(target.temporary));
  let failure: unknown;
  written.catch((error: unknown) => (failure = error));
  const shard: OpenShard = {
    rows: 0,
    async write(batch) {
      if (failure !== undefined) throw new IpcError(path, `could not write the shard: ${(failure as Error).message}`, { cause: failure });
      writer.write(batch);
      shard.rows += batch.numRows;
      // Let the pipeline drain what the writer queued, so a shard never sits whole in memory.
      await new Promise<void>((resolve) => setImmediate(resolve));
    },
    async finish() {
      writer.finish();
      try {
        await written;
        await target.commit();
      } catch (cause) {
        await target.abort();
        throw new IpcError(path, `could not write the shard: ${(cause as Error).message}`, { cause });
      }
      return { file, rows: shard.rows, bytes, sha256: hash.digest('hex') };
    },
  };
  return shard;
}

async function openParquetShard(dir: string, file: string, compression: ParquetCompression | undefined): Promise<OpenShard> {
  const batches: RecordBatch[] = [];
  const shard: OpenShard = {
    rows: 0,
    async write(batch) {
      batches.push(batch);
      shard.rows += batch.numRows;
    },
    async finish() {
      const result = await writeParquet(join(dir, file), batches, { compression });
      return { file, rows: result.rows, bytes: result.bytes, sha256: result.sha256 };
    },
  };
  return shard;
}

async function readManifestIfAny(dir: string): Promise<ShardManifest | undefined> {
  const path = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new IpcError(path, `could not read the manifest: ${(error as Error).message}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new IpcError(path, `the manifest is not valid JSON: ${(cause as Error).message}`, { cause });
  }
  return parseManifest(json, path);
}

export interface ShardBatchesOptions {
  /**
   * Seeded shuffling: the shard order is permuted with `seed`, and rows pass through a shuffle
   * buffer of `bufferSize` rows (default 10,000). Omit to read in order.
   */
  shuffle?: { seed: number; bufferSize?: number };
  /** Read only these shards (indices into `manifest.shards`), e.g. one range per worker. */
  shards?: readonly number[];
  /** Parquet shards: rows per record batch (default 8192). Arrow shards give the batches they were written with. */
  batchSize?: number;
}

/**
 * A sharded dataset opened for reading. It is an async iterable of its record batches in
 * order, one batch in memory at a time, so `for await (const batch of dataset)` and every
 * streaming consumer take it directly.
 */
export class ShardedDataset implements AsyncIterable<RecordBatch> {
  readonly dir: string;
  readonly manifest: ShardManifest;

  constructor(dir: string, manifest: ShardManifest) {
    this.dir = dir;
    this.manifest = manifest;
  }

  get numRows(): number {
    return this.manifest.rows;
  }

  get kind(): TableKind | null {
    return this.manifest.kind;
  }

  /** The shard files' paths, in order. */
  get files(): string[] {
    return this.manifest.shards.map((s) => join(this.dir, s.file));
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordBatch> {
    return this.batches()[Symbol.asyncIterator]();
  }

  /** The record batches, shard by shard; see {@link ShardBatchesOptions} for shuffling and subsets. */
  async *batches(options: ShardBatchesOptions = {}): AsyncGenerator<RecordBatch> {
    const count = this.manifest.shards.length;
    let order = options.shards !== undefined ? [...options.shards] : Array.from({ length: count }, (_, i) => i);
    for (const i of order) {
      if (!Number.isInteger(i) || i < 0 || i >= count)
        throw new OptionError(`shard index ${describeValue(i)} is outside the ${count} shards of ${this.dir}`, { option: 'shards' });
    }
    if (options.shuffle !== undefined) {
      const rng = createRng(options.shuffle.seed);
      for (let i = order.length - 1; i > 0; i--) {
        const j = rng.nextInt(i + 1);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      const inOrder = this.readShards(order, options.batchSize);
      // The row buffer's generator draws from a stream of its own, so shard order and row picks do not share one.
      yield* shuffleBatches(inOrder, { seed: options.shuffle.seed + 0x9e3779b9, bufferSize: options.shuffle.bufferSize });
      return;
    }
    order = order.slice();
    yield* this.readShards(order, options.batchSize);
  }

  /**
   * Checks every shard against the manifest: it exists, has the listed size, and its SHA-256
   * matches. Throws an IpcError naming the first shard that does not.
   */
  async verify(): Promise<void> {
    for (const shard of this.manifest.shards) {
      const path = join(this.dir, shard.file);
      await checkSize(path, shard);
      const hash = createHash('sha256');
      await pipeline(createReadStream(path), hash);
      const actual = hash.digest('hex');
      if (actual !== shard.sha256)
        throw new IpcError(
          path,
          `checksum mismatch: SHA-256 ${actual}, the manifest says ${shard.sha256}; the shard was changed or damaged after it was written`,
        );
    }
  }

  private async *readShards(order: readonly number[], batchSize: number | undefined): AsyncGenerator<RecordBatch> {
    for (const i of order) {
      const shard = this.manifest.shards[i]!;
      const path = join(this.dir, shard.file);
      await checkSize(path, shard);
      let rows = 0;
      const batches = this.manifest.shardFormat === 'arrow' ? readArrowShard(path) : readParquet(path, { batchSize });
      for await (const batch of batches) {
        const difference = schemaDifference(this.manifest.schema, describeSchema(batch.schema));
        if (difference !== undefined) throw new SchemaError(`${path}: the shard's ${difference}`);
        rows += batch.numRows;
        yield batch;
      }
      if (rows !== shard.rows) throw new IpcError(path, `holds ${rows} rows, the manifest says ${shard.rows}`);
    }
  }
}

/** Opens a sharded dataset folder (reading only its manifest). */
export async function openShards(dir: string): Promise<ShardedDataset> {
  const manifest = await readManifestIfAny(dir);
  if (manifest === undefined)
    throw new IpcError(
      join(dir, MANIFEST_FILE),
      `no sharded dataset here (no ${MANIFEST_FILE}); write one with writeShards or ShardWriter`,
    );
  return new ShardedDataset(dir, manifest);
}

/** Writes a stream of record batches (a table, a sharded dataset, `readParquet(…)`) as a sharded dataset in `dir`. */
export async function writeShards(dir: string, source: RecordBatchSource, options: ShardWriterOptions = {}): Promise<ShardedDataset> {
  const writer = await ShardWriter.open(dir, options);
  await writer.write(source);
  return new ShardedDataset(dir, await writer.close());
}

async function checkSize(path: string, shard: ShardInfo): Promise<void> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (cause) {
    throw new IpcError(path, `the shard listed in the manifest cannot be read: ${(cause as Error).message}`, { cause });
  }
  if (size !== shard.bytes)
    throw new IpcError(path, `is ${size} bytes, the manifest says ${shard.bytes}: the shard was changed or truncated after it was written`);
}

async function* readArrowShard(path: string): AsyncGenerator<RecordBatch> {
  const handle = await open(path, 'r');
  try {
    let reader;
    try {
      reader = await RecordBatchReader.from(handle);
      await reader.open();
    } catch (cause) {
      throw new IpcError(path, `not a readable Arrow IPC file: ${(cause as Error).message}`, { cause });
    }
    yield* reader as AsyncIterable<RecordBatch>;
  } finally {
    await handle.close().catch(() => undefined);
  }
}
