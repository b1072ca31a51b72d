import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordBatch, Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import {
  DatasetError,
  IpcError,
  SchemaError,
  columnValues,
  corpusTable,
  createRng,
  raggedSequencesTable,
  rebatch,
  shuffleBatches,
  type ShardManifest,
} from '@seqlearn/dataset';
import { ShardWriter, openShards, writeShards } from '@seqlearn/dataset/shards';
import { readParquet, writeParquet } from '@seqlearn/dataset/parquet';

const root = mkdtempSync(join(tmpdir(), 'seqlearn-shards-'));
let folders = 0;
const folder = () => join(root, `d${folders++}`);

const WORDS = ['the', 'movie', 'was', 'great', 'dull', 'plot', 'actors', 'ending', 'über', 'naïve', 'film', 'scene'];

/** A corpus of `rows` random texts, cut into record batches of `batchRows`. */
function corpus(rows: number, seed: number, batchRows = 1000): Table {
  const rng = createRng(seed);
  const text = Array.from({ length: rows }, () =>
    Array.from({ length: 1 + rng.nextInt(30) }, () => WORDS[rng.nextInt(WORDS.length)]).join(' '),
  );
  const label = Int32Array.from({ length: rows }, () => rng.nextInt(3));
  const id = Array.from({ length: rows }, (_, i) => `doc-${seed}-${i}`);
  const split = Array.from({ length: rows }, (_, i) => (i % 5 === 0 ? 'test' : 'train'));
  const table = corpusTable({ text, label, id, split }, { labels: ['neg', 'neutral', 'pos'], source: 'shards test' });
  const batches: RecordBatch[] = [];
  for (let start = 0; start < rows; start += batchRows) batches.push(...table.slice(start, Math.min(rows, start + batchRows)).batches);
  return new Table(table.schema, batches);
}

async function collect(source: AsyncIterable<RecordBatch>): Promise<{ rows: Record<string, unknown>[]; sizes: number[] }> {
  const rows: Record<string, unknown>[] = [];
  const sizes: number[] = [];
  for await (const batch of source) {
    sizes.push(batch.numRows);
    for (const row of new Table([batch]).toArray()) rows.push({ ...row.toJSON() });
  }
  return { rows, sizes };
}

const plainRows = (table: Table) => table.toArray().map((r) => ({ ...r.toJSON() }));
const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('sharded datasets (Arrow IPC shards + manifest)', () => {
  it('writes shards and a manifest with row counts and checksums, and streams the rows back batch by batch', async () => {
    const table = corpus(5_500, 1);
    const dir = folder();
    const dataset = await writeShards(dir, table, { rowsPerShard: 2_000 });
    const manifest: ShardManifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest.rows).toBe(5_500);
    expect(manifest.kind).toBe('corpus');
    expect(manifest.shards.map((s) => s.rows)).toEqual([2_000, 2_000, 1_500]);
    expect(manifest.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      'text:Utf8',
      'label:Int32',
      'id:Utf8',
      'split:Dictionary<Int8, Utf8>',
    ]);
    expect(manifest.schema.metadata['seqlearn.labels']).toBe('["neg","neutral","pos"]');
    for (const shard of manifest.shards) {
      expect(sha256(join(dir, shard.file))).toBe(shard.sha256);
      expect(readFileSync(join(dir, shard.file)).length).toBe(shard.bytes);
    }
    expect(readdirSync(dir).sort()).toEqual(['manifest.json', 'part-00000.arrow', 'part-00001.arrow', 'part-00002.arrow']);

    const back = await collect(dataset);
    expect(back.rows).toEqual(plainRows(table));
    // Never more than a written batch at a time.
    expect(Math.max(...back.sizes)).toBeLessThanOrEqual(1_000);
    await expect(dataset.verify()).resolves.toBeUndefined();
    const reopened = await openShards(dir);
    expect(reopened.numRows).toBe(5_500);
    expect(reopened.kind).toBe('corpus');
  });

  it('appends only when asked, and keeps the schema', async () => {
    const dir = folder();
    await writeShards(dir, corpus(1_200, 2), { rowsPerShard: 1_000 });
    await expect(writeShards(dir, corpus(10, 3))).rejects.toThrow(DatasetError);
    const appended = await writeShards(dir, corpus(700, 3), { rowsPerShard: 1_000, append: true });
    expect(appended.manifest.shards.map((s) => [s.file, s.rows])).toEqual([
      ['part-00000.arrow', 1_000],
      ['part-00001.arrow', 200],
      ['part-00002.arrow', 700],
    ]);
    expect((await collect(appended)).rows).toEqual([...plainRows(corpus(1_200, 2)), ...plainRows(corpus(700, 3))]);
    const other = raggedSequencesTable({ tokens: [[1, 2]], label: [0] });
    await expect(writeShards(dir, other, { append: true })).rejects.toThrow(SchemaError);
  });

  it('lists only whole shards when the writer fails midway, and leaves no temporary file', async () => {
    const dir = folder();
    const table = corpus(3_000, 4);
    async function* failing() {
      yield* table.batches.slice(0, 2);
      throw new Error('the source broke');
    }
    const writer = await ShardWriter.open(dir, { rowsPerShard: 1_500 });
    await expect(writer.write(failing())).rejects.toThrow('the source broke');
    const dataset = await openShards(dir);
    expect(dataset.manifest.shards.map((s) => s.rows)).toEqual([1_500]);
    expect((await collect(dataset)).rows).toEqual(plainRows(table).slice(0, 1_500));
  });

  it('refuses rows that break the table kind’s contract, naming the rows', async () => {
    const dir = folder();
    const writer = await ShardWriter.open(dir);
    await writer.write(corpus(100, 5));
    const bad = corpusTable({ text: ['x'], label: [7] }, { labels: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], source: 's' });
    const reshaped = new RecordBatch(corpus(1, 5).schema.select(['text', 'label']), bad.batches[0]!.data);
    await expect(writer.write(reshaped)).rejects.toThrow(SchemaError);
  });

  it('detects a damaged or truncated shard', async () => {
    const dir = folder();
    const dataset = await writeShards(dir, corpus(2_000, 6), { rowsPerShard: 1_000 });
    const path = join(dir, 'part-00001.arrow');
    const bytes = readFileSync(path);
    bytes[bytes.length >> 1] ^= 0xff;
    writeFileSync(path, bytes);
    await expect(dataset.verify()).rejects.toThrow(/part-00001\.arrow: checksum mismatch/);
    writeFileSync(path, bytes.subarray(0, bytes.length - 100));
    await expect(collect(dataset)).rejects.toThrow(IpcError);
    await expect(collect(dataset)).rejects.toThrow(/is \d+ bytes, the manifest says/);
  });

  it('shuffles across shards with a seed: a permutation of every row, the same for the same seed', async () => {
    const table = corpus(4_000, 7, 500);
    const dataset = await writeShards(folder(), table, { rowsPerShard: 1_000 });
    const ids = async (seed: number, bufferSize?: number) =>
      (await collect(dataset.batches({ shuffle: { seed, bufferSize } }))).rows.map((r) => r.id as string);
    const original = plainRows(table).map((r) => r.id as string);
    const a = await ids(1);
    expect(a).toEqual(await ids(1));
    expect(a).not.toEqual(await ids(2));
    expect(a).not.toEqual(original);
    expect([...a].sort()).toEqual([...original].sort());
    // Shard order is shuffled too: with a one-row buffer, rows keep their order within each shard.
    const shardOrder = await ids(3, 1);
    expect([...shardOrder].sort()).toEqual([...original].sort());
    const firstShards = [0, 1000, 2000, 3000].map((i) => Math.floor(original.indexOf(shardOrder[i]!) / 1000));
    expect([...firstShards].sort()).toEqual([0, 1, 2, 3]);
    expect(firstShards).not.toEqual([0, 1, 2, 3]);
  });

  it('reads a subset of shards (one range per worker)', async () => {
    const table = corpus(3_000, 8);
    const dataset = await writeShards(folder(), table, { rowsPerShard: 1_000 });
    expect((await collect(dataset.batches({ shards: [2, 0] }))).rows).toEqual([
      ...plainRows(table).slice(2_000),
      ...plainRows(table).slice(0, 1_000),
    ]);
  });
});

describe('record batch streams', () => {
  it('shuffleBatches keeps every row once and mixes within the buffer', async () => {
    const table = corpus(2_500, 9, 300);
    const out = await collect(shuffleBatches(table, { seed: 5, bufferSize: 800, batchSize: 256 }));
    expect(out.sizes.slice(0, -1).every((s) => s === 256)).toBe(true);
    const ids = out.rows.map((r) => r.id);
    expect([...ids].sort()).toEqual(
      plainRows(table)
        .map((r) => r.id)
        .sort(),
    );
    expect(ids).not.toEqual(plainRows(table).map((r) => r.id));
  });

  it('rebatch cuts and glues batches to an exact size', async () => {
    const table = corpus(2_345, 10, 700);
    const out = await collect(rebatch(table, 1_000));
    expect(out.sizes).toEqual([1_000, 1_000, 345]);
    expect(out.rows).toEqual(plainRows(table));
  });
});

describe('Parquet', () => {
  it('round-trips a corpus and a ragged sequences table with their metadata, a row group at a time', async () => {
    const table = corpus(3_000, 11);
    const path = join(root, 'corpus.parquet');
    const written = await writeParquet(path, table, { rowGroupSize: 1_000 });
    expect(written.rows).toBe(3_000);
    expect(sha256(path)).toBe(written.sha256);
    const back = await collect(readParquet(path, { batchSize: 400 }));
    expect(Math.max(...back.sizes)).toBeLessThanOrEqual(400);
    expect(back.rows).toEqual(plainRows(table));
    const first = (await readParquet(path).next()).value as RecordBatch;
    expect(first.schema.metadata.get('seqlearn.kind')).toBe('corpus');

    const rng = createRng(3);
    const tokens = Array.from({ length: 500 }, () => Int32Array.from({ length: rng.nextInt(50) }, () => rng.nextInt(1000)));
    const sequences = raggedSequencesTable({ tokens, label: Int32Array.from(tokens, (t) => t.length % 2) });
    const seqPath = join(root, 'sequences.parquet');
    await writeParquet(seqPath, sequences, { compression: 'zstd' });
    const batches: RecordBatch[] = [];
    for await (const batch of readParquet(seqPath)) batches.push(batch);
    const seqBack = new Table(batches);
    expect(String(seqBack.schema.fields[0]!.type)).toBe('List<Int32>');
    const before = columnValues(sequences, 'tokens');
    const after = columnValues(seqBack, 'tokens');
    expect(Array.from(after.values)).toEqual(Array.from(before.values));
    expect(Array.from(after.offsets!)).toEqual(Array.from(before.offsets!));
  });

  it('writes Parquet shards that read back the same', async () => {
    const table = corpus(2_500, 12);
    const dir = folder();
    const dataset = await writeShards(dir, table, { rowsPerShard: 1_000, format: 'parquet' });
    expect(readdirSync(dir).sort()).toEqual(['manifest.json', 'part-00000.parquet', 'part-00001.parquet', 'part-00002.parquet']);
    expect((await collect(dataset)).rows).toEqual(plainRows(table));
    await expect(dataset.verify()).resolves.toBeUndefined();
  });

  it('names the file when it is not Parquet', async () => {
    const path = join(root, 'not.parquet');
    writeFileSync(path, 'hello');
    await expect(readParquet(path).next()).rejects.toThrow(/not\.parquet: not a Parquet file/);
  });
});
