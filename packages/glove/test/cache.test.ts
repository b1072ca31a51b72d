import { readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readTable, validateTable } from '@seqlearn/dataset';
import { afterAll, describe, expect, it } from 'vitest';
import {
  fromEmbeddingsTable,
  loadWordVectors,
  parseWordVectors,
  readVectorsCache,
  toEmbeddingsTable,
  writeVectorsCache,
} from '../src/index.js';
import { tempDir } from './fixtures.js';

const tmp = tempDir();
afterAll(() => tmp.remove());
const sameFloats = (a: Float32Array, b: Float32Array): boolean =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

const text = 'the 0.1 -0.2 0.3\nnaïve 1e-3 2 -3\n東京 4 5 6\nof 7 8 9.5\n';

describe('embeddings table and Arrow IPC cache', () => {
  it('round-trips through an embeddings table (the dataset contract)', () => {
    const v = parseWordVectors(text, { name: 'toy.txt' });
    const table = toEmbeddingsTable(v);
    validateTable(table, 'embeddings');
    expect(table.numRows).toBe(4);
    const back = fromEmbeddingsTable(table);
    expect(back.words).toEqual(v.words);
    expect(back.dim).toBe(3);
    expect(back.source).toBe('toy.txt');
    expect(sameFloats(back.data, v.data)).toBe(true);
    expect(back.vector('東京')).toEqual(v.vector('東京'));
  });

  it('writes and reads an .arrow file', async () => {
    const v = parseWordVectors(text);
    const path = join(tmp.dir, 'v.arrow');
    await writeVectorsCache(path, v);
    const table = await readTable(path, { kind: 'embeddings' });
    expect(table.numRows).toBe(4);
    const back = await readVectorsCache(path);
    expect(back.words).toEqual(v.words);
    expect(sameFloats(back.data, v.data)).toBe(true);
    expect(back.nearest('the', 1)[0].word).toBe(v.nearest('the', 1)[0].word);
  });

  it('loadWordVectors parses once, then reloads from the cache; a changed file or vocabulary is parsed again', async () => {
    const source = join(tmp.dir, 'vectors.txt');
    writeFileSync(source, text);
    const cacheDir = join(tmp.dir, 'cache');
    const first = await loadWordVectors(source, { cacheDir });
    expect(first.fromCache).toBe(false);
    expect(readdirSync(cacheDir)).toHaveLength(1);
    const second = await loadWordVectors(source, { cacheDir });
    expect(second.fromCache).toBe(true);
    expect(second.cachePath).toBe(first.cachePath);
    expect(second.vectors.words).toEqual(first.vectors.words);
    expect(sameFloats(second.vectors.data, first.vectors.data)).toBe(true);

    const filtered = await loadWordVectors(source, { cacheDir, vocabulary: new Set(['of']) });
    expect(filtered.fromCache).toBe(false);
    expect(filtered.vectors.words).toEqual(['of']);

    writeFileSync(source, text.replace('0.1', '0.5'));
    utimesSync(source, new Date(), new Date(Date.now() + 5000));
    const changed = await loadWordVectors(source, { cacheDir });
    expect(changed.fromCache).toBe(false);
    expect(changed.vectors.vector('the')![0]).toBeCloseTo(0.5, 6);
    expect((await loadWordVectors(source, { cacheDir: false })).cachePath).toBeUndefined();
  });

  it('a damaged cache file is rebuilt, not trusted', async () => {
    const source = join(tmp.dir, 'v2.txt');
    writeFileSync(source, text);
    const cacheDir = join(tmp.dir, 'cache2');
    const first = await loadWordVectors(source, { cacheDir });
    writeFileSync(first.cachePath!, 'ARROW1 not really');
    const again = await loadWordVectors(source, { cacheDir });
    expect(again.fromCache).toBe(false);
    expect((await loadWordVectors(source, { cacheDir })).fromCache).toBe(true);
  });
});
