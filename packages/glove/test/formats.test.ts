import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasShared } from '@seqlearn/vitest-preset/shared';
import { parseWordVectors, readWordVectors, type VectorsProgress, type WordVectors } from '../src/index.js';
import { expectedVectors, gloveLines, tempDir, word2vecBinary, zipBuffer } from './fixtures.js';

function expectSame(vectors: WordVectors, expected: Map<string, Float32Array>): void {
  expect(vectors.words).toEqual([...expected.keys()]);
  expect(vectors.data.length).toBe(expected.size * vectors.dim);
  // One comparison of the raw float bytes (deep equality per row is slow in vitest); NaN-safe and -0-safe.
  const flat = new Float32Array(expected.size * vectors.dim);
  [...expected.values()].forEach((values, row) => flat.set(values, row * vectors.dim));
  const bytes = (a: Float32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  expect(bytes(vectors.data).equals(bytes(flat))).toBe(true);
  for (const word of expected.keys()) expect(vectors.rowOf(word)).toBe(vectors.words.indexOf(word));
}

describe.skipIf(!hasShared)('readers on slices of the real GloVe file', () => {
  const tmp = tempDir();
  let lines: string[];
  let expected: Map<string, Float32Array>;
  const path = (name: string): string => join(tmp.dir, name);

  beforeAll(async () => {
    lines = await gloveLines(3000);
    expected = expectedVectors(lines);
    const text = lines.join('\n') + '\n';
    writeFileSync(path('glove.txt'), text);
    writeFileSync(path('glove.txt.gz'), gzipSync(text));
    writeFileSync(path('vectors.w2v.txt'), `${lines.length} 100\n${text}`);
    writeFileSync(path('wiki.vec'), `${lines.length} 100\r\n${lines.join('\r\n')}\r\n`);
    writeFileSync(path('vectors.bin'), word2vecBinary(expected, 100));
    writeFileSync(path('vectors.bin.gz'), gzipSync(word2vecBinary(expected, 100)));
    // The official zip holds one member per dimension: a 50d member is the first 50 values of each line.
    const fifty = lines.map((l) => l.split(' ').slice(0, 51).join(' ')).join('\n') + '\n';
    writeFileSync(path('glove.6B.zip'), await zipBuffer({ 'glove.6B.50d.txt': fifty, 'glove.6B.100d.txt': text }));
  });
  afterAll(() => tmp.remove());

  it('GloVe .txt', async () => expectSame(await readWordVectors(path('glove.txt')), expected));
  it('GloVe .txt.gz', async () => expectSame(await readWordVectors(path('glove.txt.gz'), { format: 'glove' }), expected));
  it('word2vec text (header detected, or declared)', async () => {
    expectSame(await readWordVectors(path('vectors.w2v.txt')), expected);
    expectSame(await readWordVectors(path('vectors.w2v.txt'), { format: 'word2vec' }), expected);
  });
  it('fastText .vec with CRLF line ends', async () =>
    expectSame(await readWordVectors(path('wiki.vec'), { format: 'fasttext' }), expected));
  it('word2vec binary, plain and gzipped', async () => {
    expectSame(await readWordVectors(path('vectors.bin')), expected);
    expectSame(await readWordVectors(path('vectors.bin.gz')), expected);
    expectSame(parseWordVectors(word2vecBinary(expected, 100), { format: 'word2vec-binary' }), expected);
  });

  it('the glove.6B zip: the member is picked by dimension', async () => {
    expectSame(await readWordVectors(path('glove.6B.zip'), { dim: 100 }), expected);
    const fifty = await readWordVectors(path('glove.6B.zip'), { dim: 50 });
    expect(fifty.dim).toBe(50);
    expect(fifty.vector('the')).toEqual(expected.get('the')!.subarray(0, 50));
    expect(fifty.source).toBe(`${path('glove.6B.zip')}#glove.6B.50d.txt`);
    const byName = await readWordVectors(path('glove.6B.zip'), { entry: 'glove.6B.100d.txt' });
    expect(byName.dim).toBe(100);
  });

  it('a vocabulary (Set, Map or Record) keeps only its words, in file order', async () => {
    const keep = ['of', 'zebra-not-there', 'the', lines[2999].split(' ')[0]];
    const want = new Map([...expected].filter(([w]) => keep.includes(w)));
    expectSame(await readWordVectors(path('glove.txt.gz'), { vocabulary: new Set(keep) }), want);
    expectSame(await readWordVectors(path('glove.6B.zip'), { dim: 100, vocabulary: new Map(keep.map((w, i) => [w, i + 1])) }), want);
    expectSame(await readWordVectors(path('vectors.bin'), { vocabulary: Object.fromEntries(keep.map((w, i) => [w, i + 1])) }), want);
  });

  it('reports progress after each chunk, ending with every line and word', async () => {
    const seen: VectorsProgress[] = [];
    await readWordVectors(path('glove.txt'), { onProgress: (p) => seen.push(p) });
    expect(seen.length).toBeGreaterThan(0);
    for (let i = 1; i < seen.length; i++) expect(seen[i].bytesRead).toBeGreaterThanOrEqual(seen[i - 1].bytesRead);
    const last = seen[seen.length - 1];
    expect(last.words).toBe(3000);
    expect(last.lines).toBe(3000);
    expect(last.bytesRead).toBe(last.totalBytes);
  });
});

describe('text parsing details', () => {
  it('a later duplicate replaces the earlier values in the earlier row, as a Python dict does', () => {
    const v = parseWordVectors('a 1 2\nb 3 4\na 5 6\n');
    expect(v.words).toEqual(['a', 'b']);
    expect(Array.from(v.data)).toEqual([5, 6, 3, 4]);
  });

  it('skips blank lines and splits on tabs and runs of spaces, like str.split()', () => {
    const v = parseWordVectors('\n  x\t1   2 \n\ny 3 4');
    expect(v.words).toEqual(['x', 'y']);
    expect(Array.from(v.data)).toEqual([1, 2, 3, 4]);
  });

  it('keeps non-ASCII words as UTF-8', () => {
    const v = parseWordVectors('café 1\n東京 2\n');
    expect(v.words).toEqual(['café', '東京']);
    expect(v.vector('東京')![0]).toBe(2);
  });

  it('a GloVe first line of two numbers is data when the format says glove', () => {
    const v = parseWordVectors('3 1\n4 2\n', { format: 'glove' });
    expect(v.words).toEqual(['3', '4']);
    expect(v.dim).toBe(1);
  });
});
