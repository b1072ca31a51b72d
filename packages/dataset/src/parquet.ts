import { createHash } from 'node:crypto';
import { openAsBlob } from 'node:fs';
import { open } from 'node:fs/promises';
import { RecordBatch, Schema, Table, tableFromIPC, tableToIPC } from 'apache-arrow';
import { AtomicFile } from './atomic-write.js';
import { recordBatches, type RecordBatchSource } from './batch-stream.js';
import { describeValue } from './describe.js';
import { IpcError, OptionError, UnavailableError } from './errors.js';

// Parquet goes through parquet-wasm (arrow-rs compiled to WebAssembly, the .wasm inside the
// npm package): Arrow in, Arrow out, every type of the seqlearn contract, streamed a record
// batch at a time both ways. It is an optional peer dependency, loaded on first use.
type ParquetWasm = typeof import('parquet-wasm');
type ParquetFile = import('parquet-wasm').ParquetFile;

let loaded: Promise<ParquetWasm> | undefined;

async function parquetWasm(): Promise<ParquetWasm> {
  loaded ??= import('parquet-wasm').catch((cause: unknown) => {
    loaded = undefined;
    throw new UnavailableError(
      `Parquet needs the optional package parquet-wasm: install it (npm i parquet-wasm) next to @seqlearn/dataset (${(cause as Error).message})`,
      {
        cause,
        code: 'ERR_PARQUET_UNAVAILABLE',
      },
    );
  });
  return loaded;
}

export type ParquetCompression = 'snappy' | 'zstd' | 'gzip' | 'none';

export interface WriteParquetOptions {
  /** Default 'snappy', which every Parquet reader (DuckDB, Polars, Spark, pandas) reads. */
  compression?: ParquetCompression;
  /** Rows per row group (default 65,536): readers stream a row group at a time. */
  rowGroupSize?: number;
}

export interface ParquetWriteResult {
  rows: number;
  bytes: number;
  /** Hex SHA-256 of the file written. */
  sha256: string;
}

export interface ReadParquetOptions {
  /** Rows per record batch (default 8192). */
  batchSize?: number;
  /** Read only these columns. */
  columns?: string[];
}

/**
 * Writes a stream of record batches to one Parquet file, a row group at a time (memory stays
 * bounded by a batch and a row group), to a temporary file that is renamed over `path` at the
 * end. The Arrow schema and its metadata travel inside the file, so `readParquet` gives back
 * the same columns and the seqlearn metadata.
 */
export async function writeParquet(
  path: string,
  source: RecordBatchSource,
  options: WriteParquetOptions = {},
): Promise<ParquetWriteResult> {
  const pw = await parquetWasm();
  const compression = options.compression ?? 'snappy';
  const codecs = { snappy: pw.Compression.SNAPPY, zstd: pw.Compression.ZSTD, gzip: pw.Compression.GZIP, none: pw.Compression.UNCOMPRESSED };
  if (!(compression in codecs))
    throw new OptionError(`compression must be one of ${Object.keys(codecs).join(', ')}, got ${describeValue(compression)}`, {
      option: 'compression',
    });
  const rowGroupSize = options.rowGroupSize ?? 65_536;
  if (!Number.isInteger(rowGroupSize) || rowGroupSize < 1)
    throw new OptionError(`rowGroupSize must be an integer >= 1, got ${describeValue(rowGroupSize)}`, { option: 'rowGroupSize' });
  const properties = new pw.WriterPropertiesBuilder().setCompression(codecs[compression]).setMaxRowGroupSize(rowGroupSize).build();

  const batches = recordBatches(source)[Symbol.asyncIterator]();
  let rows = 0;
  let schema: Schema | undefined;
  const input = new ReadableStream({
    async pull(controller) {
      const next = await batches.next();
      if (next.done) {
        controller.close();
        return;
      }
      schema ??= next.value.schema;
      rows += next.value.numRows;
      const ipc = tableToIPC(new Table(schema, [new RecordBatch(schema, next.value.data)]), 'stream');
      controller.enqueue(pw.Table.fromIPCStream(ipc).recordBatch(0));
    },
  });

  const target = new AtomicFile(path);
  const hash = createHash('sha256');
  let bytes = 0;
  const file = await open(target.temporary, 'w');
  try {
    const output = await pw.transformParquetStream(input, properties);
    for await (const chunk of output as ReadableStream<Uint8Array>) {
      hash.update(chunk);
      bytes += chunk.byteLength;
      await file.write(chunk);
    }
    await file.close();
    if (schema === undefined)
      throw new OptionError(`${path}: the stream held no record batch, so there is no schema to write`, { option: 'source' });
    await target.commit();
  } catch (cause) {
    await file.close().catch(() => undefined);
    await target.abort();
    if (cause instanceof OptionError) throw cause;
    throw new IpcError(path, `could not write Parquet: ${(cause as Error).message}`, { cause });
  }
  return { rows, bytes, sha256: hash.digest('hex') };
}

/** The Arrow schema (with its metadata) stored in a Parquet file, and its row count. */
export async function parquetInfo(path: string): Promise<{ schema: Schema; rows: number }> {
  const pw = await parquetWasm();
  const file = await openParquet(pw, path);
  try {
    const schema = tableFromIPC(file.schema().intoIPCStream()).schema;
    return { schema, rows: file.metadata().fileMetadata().numRows() };
  } finally {
    file.free();
  }
}

/**
 * Streams a Parquet file (written by seqlearn, DuckDB, Polars, Spark, pandas…) as Arrow record
 * batches, reading the file a piece at a time, so memory is bounded by a batch and a row group.
 */
export async function* readParquet(path: string, options: ReadParquetOptions = {}): AsyncGenerator<RecordBatch> {
  const batchSize = options.batchSize ?? 8192;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new OptionError(`batchSize must be an integer >= 1, got ${describeValue(options.batchSize)}`, { option: 'batchSize' });
  const pw = await parquetWasm();
  const file = await openParquet(pw, path);
  try {
    let schema: Schema;
    let stream: ReadableStream;
    try {
      schema = tableFromIPC(file.schema().intoIPCStream()).schema;
      if (options.columns !== undefined) {
        const missing = options.columns.filter((c) => !schema.fields.some((f) => f.name === c));
        if (missing.length > 0)
          throw new OptionError(
            `${path}: no column ${missing.map((c) => `"${c}"`).join(', ')}; it has ${schema.fields.map((f) => f.name).join(', ')}`,
            { option: 'columns' },
          );
        schema = schema.select(options.columns);
      }
      stream = await file.stream({ batchSize, columns: options.columns });
    } catch (cause) {
      if (cause instanceof OptionError) throw cause;
      throw new IpcError(path, `not a readable Parquet file: ${(cause as Error).message}`, { cause });
    }
    for await (const wasmBatch of stream as ReadableStream<{ intoIPCStream(): Uint8Array }>) {
      const table = tableFromIPC(wasmBatch.intoIPCStream());
      // The stream's batches carry no schema metadata: put back the file's.
      for (const batch of table.batches) yield new RecordBatch(sameTypes(schema, batch.schema) ? schema : batch.schema, batch.data);
    }
  } finally {
    file.free();
  }
}

async function openParquet(pw: ParquetWasm, path: string): Promise<ParquetFile> {
  let blob: Blob;
  try {
    blob = await openAsBlob(path);
  } catch (cause) {
    throw new IpcError(path, `could not open the file: ${(cause as Error).message}`, { cause });
  }
  try {
    return await pw.ParquetFile.fromFile(blob);
  } catch (cause) {
    throw new IpcError(path, `not a Parquet file: ${String((cause as Error)?.message ?? cause)}`, { cause });
  }
}

function sameTypes(a: Schema, b: Schema): boolean {
  return (
    a.fields.length === b.fields.length &&
    a.fields.every((f, i) => f.name === b.fields[i]!.name && String(f.type) === String(b.fields[i]!.type))
  );
}
