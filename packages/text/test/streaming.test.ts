import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordBatch, Table } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { IMDB_LABELS, imdbReviews } from '@seqlearn/corpora';
import { columnValues, contiguous, corpusTable, shuffleBatches } from '@seqlearn/dataset';
import { openShards, writeShards } from '@seqlearn/dataset/shards';
import { goldenPath, hasData, hasGolden, sharedDataPath, SKIP_WITHOUT_SHARED } from '@seqlearn/vitest-preset/shared';
import {
  Tokenizer,
  corpusTexts,
  corpusToSequences,
  fitOnBatches,
  mergeTokenCounts,
  sequenceBatches,
  type TokenizerOptions,
} from '../src/index.js';

const root = mkdtempSync(join(tmpdir(), 'seqlearn-text-stream-'));

let reviews: Promise<{ text: string[]; label: number[]; id: string[] }> | undefined;

/** The first 4,000 reviews of the real IMDB archive, read once for every test here. */
function firstReviews(): Promise<{ text: string[]; label: number[]; id: string[] }> {
  return (reviews ??= (async () => {
    const out = { text: [] as string[], label: [] as number[], id: [] as string[] };
    for await (const review of imdbReviews(sharedDataPath('aclImdb_v1_labelled.tar.gz'))) {
      out.text.push(review.text);
      out.label.push(review.label);
      out.id.push(`${review.split}/${IMDB_LABELS[review.label]}/${review.id}`);
      if (out.text.length === 4_000) break;
    }
    return out;
  })());
}

/** The first `n` reviews as a corpus table cut into record batches of `batchRows`. */
async function imdbCorpus(n: number, batchRows: number): Promise<Table> {
  const { text, label, id } = await firstReviews();
  const table = corpusTable(
    { text: text.slice(0, n), label: Int32Array.from(label.slice(0, n)), id: id.slice(0, n) },
    { labels: [...IMDB_LABELS], source: 'aclImdb' },
  );
  const batches: RecordBatch[] = [];
  for (let start = 0; start < n; start += batchRows) batches.push(...table.slice(start, Math.min(n, start + batchRows)).batches);
  return new Table(table.schema, batches);
}

/** Keras's JSON holds every piece of fitted state in its order: word_counts, word_docs, index_docs, word_index, document_count. */
function expectSameFit(streamed: Tokenizer, inMemory: Tokenizer): void {
  expect(streamed.documentCount).toBe(inMemory.documentCount);
  expect(streamed.wordIndex.size).toBe(inMemory.wordIndex.size);
  if (streamed.toJSON() !== inMemory.toJSON()) {
    // Only to show where they differ (toEqual on maps of this size is slow).
    expect([...streamed.wordIndex]).toEqual([...inMemory.wordIndex]);
    expect([...streamed.wordCounts]).toEqual([...inMemory.wordCounts]);
    expect([...streamed.wordDocs]).toEqual([...inMemory.wordDocs]);
    expect([...streamed.indexDocs]).toEqual([...inMemory.indexDocs]);
    expect.unreachable("the tokenizers' JSON differs");
  }
}

function expectSameInts(
  actual: ArrayLike<number> & { buffer: ArrayBufferLike; byteOffset: number; byteLength: number },
  expected: typeof actual,
): void {
  expect(actual.length).toBe(expected.length);
  expect(
    Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength).equals(
      Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength),
    ),
  ).toBe(true);
}

describe.skipIf(!hasData)('streaming fit over sharded IMDB reviews', () => {
  if (!hasData) console.warn(SKIP_WITHOUT_SHARED);

  it.each<[string, TokenizerOptions, boolean]>([
    ['Keras defaults', {}, true],
    ['oov token and numWords', { oovToken: '<unk>', numWords: 5_000 }, false],
  ])('gives the in-memory fit exactly (%s)', async (_name, options, sequencesToo) => {
    const corpus = await imdbCorpus(4_000, 400);
    const dir = join(root, `imdb-${options.oovToken ?? 'plain'}`);
    await writeShards(dir, corpus, { rowsPerShard: 1_000 });
    const dataset = await openShards(dir);
    expect(dataset.manifest.shards.length).toBe(4);

    const streamed = new Tokenizer(options);
    const progress: number[] = [];
    await fitOnBatches(streamed, dataset, { onProgress: (n) => progress.push(n) });
    expect(progress.at(-1)).toBe(4_000);
    // 400-row batches cut at the 1,000-row shard boundaries: 400, 400, 200 per shard.
    expect(progress.length).toBe(12);

    const inMemory = new Tokenizer(options);
    inMemory.fitOnTexts(corpusTexts(corpus));
    expectSameFit(streamed, inMemory);
    expect(streamed.wordIndex.size).toBeGreaterThan(30_000);
    if (!sequencesToo) return;

    // textsToSequences, streamed into a sharded sequences dataset, row for row the in-memory one.
    const sequencesDir = join(root, `seq-${options.oovToken ?? 'plain'}`);
    const sequences = await writeShards(sequencesDir, sequenceBatches(streamed, dataset), { rowsPerShard: 2_500 });
    expect(sequences.kind).toBe('sequences');
    const batches: RecordBatch[] = [];
    for await (const batch of sequences) batches.push(batch);
    const expected = corpusToSequences(inMemory, contiguous(corpus));
    const got = contiguous(new Table(batches));
    expectSameInts(columnValues(got, 'tokens').values, columnValues(expected, 'tokens').values);
    expectSameInts(columnValues(got, 'tokens').offsets!, columnValues(expected, 'tokens').offsets!);
    expectSameInts(columnValues(got, 'label').values, columnValues(expected, 'label').values);
    expect(got.schema.metadata.get('seqlearn.tokenizer')).toBe(inMemory.toJSON());
    expect(got.schema.metadata.get('seqlearn.labels')).toBe('["neg","pos"]');
  });

  it('fits a shuffled stream as the in-memory fit on the same shuffled rows', async () => {
    const corpus = await imdbCorpus(2_000, 300);
    const dataset = await writeShards(join(root, 'shuffled'), corpus, { rowsPerShard: 700 });
    const shuffled: RecordBatch[] = [];
    for await (const batch of dataset.batches({ shuffle: { seed: 11, bufferSize: 1_000 } })) shuffled.push(batch);
    const streamed = new Tokenizer();
    await fitOnBatches(streamed, dataset.batches({ shuffle: { seed: 11, bufferSize: 1_000 } }));
    const inMemory = new Tokenizer();
    inMemory.fitOnTexts(corpusTexts(new Table(shuffled)));
    expectSameFit(streamed, inMemory);
    const plain = new Tokenizer();
    plain.fitOnTexts(corpusTexts(corpus));
    // Same counts in another first-seen order: the index differs where counts tie.
    expect(new Map(streamed.wordCounts)).toEqual(new Map(plain.wordCounts));
    expect([...streamed.wordIndex]).not.toEqual([...plain.wordIndex]);
  });

  it('pads a stream to a fixed length like padSequences on the whole', async () => {
    const corpus = await imdbCorpus(1_000, 128);
    const tokenizer = new Tokenizer({ numWords: 2_000 });
    await fitOnBatches(tokenizer, corpus);
    const batches: RecordBatch[] = [];
    for await (const batch of sequenceBatches(tokenizer, shuffleBatches(corpus, { seed: 1, bufferSize: 1 }), {
      pad: { maxlen: 120, truncating: 'post' },
    }))
      batches.push(batch);
    const got = contiguous(new Table(batches));
    const expected = corpusToSequences(tokenizer, contiguous(corpus), { pad: { maxlen: 120, truncating: 'post' } });
    expect(String(got.schema.fields[0]!.type)).toBe('FixedSizeList[120]<Int32>');
    expectSameInts(columnValues(got, 'tokens').values, columnValues(expected, 'tokens').values);
    await expect(sequenceBatches(tokenizer, corpus, { pad: { maxlen: 0 } }).next()).rejects.toThrow(/pad\.maxlen/);
  });
});

describe.skipIf(!hasGolden)('chunk counts merged against Keras', () => {
  interface Case {
    config: { num_words?: number; filters?: string; lower?: boolean; split?: string; char_level?: boolean; oov_token?: string };
    fit_texts: string[];
    word_index: [string, number][];
    document_count: number;
  }
  it('counts chunks apart, merges them in order, and gets Keras’s index', () => {
    const cases = JSON.parse(readFileSync(goldenPath('tokenizer.json'), 'utf8')) as Record<string, Case>;
    let checked = 0;
    for (const c of Object.values(cases)) {
      if (!Array.isArray(c.fit_texts) || c.fit_texts.length < 2) continue;
      const { num_words, filters, lower, split, char_level, oov_token } = c.config;
      const tokenizer = new Tokenizer({ numWords: num_words, filters, lower, split, charLevel: char_level, oovToken: oov_token });
      const parts = c.fit_texts.map((text, i) => tokenizer.countTexts([text], i));
      tokenizer.fitOnCounts(mergeTokenCounts(parts));
      expect([...tokenizer.wordIndex]).toEqual(c.word_index);
      expect(tokenizer.documentCount).toBe(c.document_count);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('refuses counts whose arrays do not line up', () => {
    expect(() => mergeTokenCounts([{ words: ['a', 'b'], counts: [1], docs: [1, 1], documents: 1 }])).toThrow(/2 words, 1 counts/);
  });
});
