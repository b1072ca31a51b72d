// DuckDB reads what seqlearn writes (Parquet shards, a Parquet export) and seqlearn reads what
// DuckDB writes, and both count the same: rows per label, sequence length percentiles, token
// occurrences.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { RecordBatch, Table } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMDB_LABELS, imdbReviews } from '@seqlearn/corpora';
import { columnValues, corpusTable } from '@seqlearn/dataset';
import { readParquet, writeParquet } from '@seqlearn/dataset/parquet';
import { openShards, writeShards, type ShardedDataset } from '@seqlearn/dataset/shards';
import { hasData, sharedDataPath, SKIP_WITHOUT_SHARED } from '@seqlearn/vitest-preset/shared';
import { Tokenizer, fitOnBatches, sequenceBatches } from '../src/index.js';

const root = mkdtempSync(join(tmpdir(), 'seqlearn-duckdb-'));
const QUANTILES = [0.1, 0.5, 0.9, 0.95, 0.99];

/** Rows per label and every sequence length, streamed from seqlearn's shards one batch at a time. */
async function seqlearnSummary(
  source: AsyncIterable<RecordBatch>,
): Promise<{ perLabel: Map<number, number>; lengths: Float64Array; tokenOne: number }> {
  const perLabel = new Map<number, number>();
  const lengths: number[] = [];
  let tokenOne = 0;
  for await (const batch of source) {
    const table = new Table([batch]);
    for (const label of columnValues(table, 'label').values) perLabel.set(label, (perLabel.get(label) ?? 0) + 1);
    const { values, offsets } = columnValues(table, 'tokens');
    for (let i = 0; i + 1 < offsets!.length; i++) lengths.push(offsets![i + 1]! - offsets![i]!);
    for (const id of values) if (id === 1) tokenOne++;
  }
  return { perLabel, lengths: Float64Array.from(lengths).sort(), tokenOne };
}

/** The q-quantile with linear interpolation between closest ranks (numpy's default, DuckDB's quantile_cont). */
function quantile(sorted: Float64Array, q: number): number {
  const position = (sorted.length - 1) * q;
  const lo = Math.floor(position);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (position - lo);
}

async function rows(connection: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  return (await connection.runAndReadAll(sql)).getRowObjects();
}

describe.skipIf(!hasData)('DuckDB reads seqlearn shards and Parquet, and counts the same', () => {
  if (!hasData) console.warn(SKIP_WITHOUT_SHARED);
  let connection: DuckDBConnection;
  let corpusShards: ShardedDataset;
  let sequenceShards: ShardedDataset;
  let tokenizer: Tokenizer;
  const exported = join(root, 'sequences.parquet');

  beforeAll(async () => {
    const text: string[] = [];
    const label: number[] = [];
    const id: string[] = [];
    // 1,000 reviews of each label (the archive holds them folder by folder).
    const taken = [0, 0];
    for await (const review of imdbReviews(sharedDataPath('aclImdb_v1_labelled.tar.gz'), { splits: ['test'] })) {
      if (taken[review.label]! === 1_000) {
        if (taken[1 - review.label] === 1_000) break;
        continue;
      }
      taken[review.label]!++;
      text.push(review.text);
      label.push(review.label);
      id.push(`${review.split}/${IMDB_LABELS[review.label]}/${review.id}`);
    }
    const corpus = corpusTable({ text, label: Int32Array.from(label), id }, { labels: [...IMDB_LABELS], source: 'aclImdb' });
    corpusShards = await writeShards(join(root, 'corpus'), corpus, { rowsPerShard: 1_000, format: 'parquet' });
    tokenizer = new Tokenizer();
    await fitOnBatches(tokenizer, corpusShards);
    sequenceShards = await writeShards(join(root, 'sequences'), sequenceBatches(tokenizer, corpusShards), {
      rowsPerShard: 800,
      format: 'parquet',
    });
    await writeParquet(exported, sequenceShards, { rowGroupSize: 1_000 });
    connection = await (await DuckDBInstance.create(':memory:')).connect();
  }, 60_000);

  afterAll(() => connection?.closeSync());

  it.each([
    ['the sequence shards', () => `read_parquet('${join(root, 'sequences')}/*.parquet')`],
    ['the Parquet export', () => `read_parquet('${exported}')`],
  ])('%s: rows per label, length percentiles and token counts', async (_name, from) => {
    expect(sequenceShards.manifest.shards.length).toBe(3);
    const ours = await seqlearnSummary(sequenceShards);
    const perLabel = await rows(connection, `select label, count(*) as n from ${from()} group by label order by label`);
    expect(perLabel.map((r) => [Number(r.label), Number(r.n)])).toEqual([...ours.perLabel].sort((a, b) => a[0] - b[0]));
    expect(ours.perLabel.size).toBe(2);

    const quantileSql = QUANTILES.map((q, i) => `quantile_cont(len(tokens), ${q}) as q${i}`).join(', ');
    const [stats] = await rows(
      connection,
      `select count(*) as n, min(len(tokens)) as lo, max(len(tokens)) as hi, ${quantileSql} from ${from()}`,
    );
    expect(Number(stats!.n)).toBe(2_000);
    expect(Number(stats!.lo)).toBe(ours.lengths[0]);
    expect(Number(stats!.hi)).toBe(ours.lengths[ours.lengths.length - 1]);
    QUANTILES.forEach((q, i) => expect(Number(stats![`q${i}`])).toBeCloseTo(quantile(ours.lengths, q), 9));

    // Index 1 is the most frequent word: DuckDB's count of it is the tokenizer's word count.
    const [ones] = await rows(connection, `select count(*) as n from (select unnest(tokens) as t from ${from()}) where t = 1`);
    expect(Number(ones!.n)).toBe(ours.tokenOne);
    expect(ours.tokenOne).toBe(tokenizer.wordCounts.get(tokenizer.indexWord.get(1)!));
  });

  it('reads the corpus shards’ texts and metadata-free columns as written', async () => {
    const [r] = await rows(
      connection,
      `select count(*) as n, sum(strlen(text)) as bytes, count(distinct id) as ids from read_parquet('${join(root, 'corpus')}/*.parquet')`,
    );
    let bytes = 0;
    for await (const batch of corpusShards) {
      const offsets = batch.getChild('text')!.data[0]!.valueOffsets;
      bytes += offsets[batch.numRows]! - offsets[0]!;
    }
    expect([Number(r!.n), Number(r!.bytes), Number(r!.ids)]).toEqual([2_000, bytes, 2_000]);
  });

  it('takes a corpus DuckDB prepared (filtered, as Parquet) into seqlearn shards', async () => {
    const prepared = join(root, 'prepared.parquet');
    await connection.run(
      `copy (select text, label from read_parquet('${join(root, 'corpus')}/*.parquet') where label = 1 and length(text) > 500 order by id) to '${prepared}' (format parquet)`,
    );
    const [expected] = await rows(connection, `select count(*) as n, sum(length(text)) as chars from read_parquet('${prepared}')`);
    const shards = await writeShards(join(root, 'prepared'), readParquet(prepared, { batchSize: 300 }), { rowsPerShard: 500 });
    const reopened = await openShards(shards.dir);
    let n = 0;
    let chars = 0;
    for await (const batch of reopened) {
      n += batch.numRows;
      for (const text of batch.getChild('text')!.toArray() as string[]) chars += [...text].length;
      expect([...(batch.getChild('label')!.toArray() as Int32Array)].every((l) => l === 1)).toBe(true);
    }
    expect(n).toBe(Number(expected!.n));
    expect(n).toBeGreaterThan(50);
    expect(chars).toBe(Number(expected!.chars));
  });
});
