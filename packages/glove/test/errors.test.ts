import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { hasShared } from '@seqlearn/vitest-preset/shared';
import {
  loadWordVectors,
  parseWordVectors,
  readWordVectors,
  VectorsArchiveError,
  VectorsFormatError,
  VectorsInputError,
} from '../src/index.js';
import { GLOVE_GZ, tempDir, word2vecBinary, zipBuffer } from './fixtures.js';

const tmp = tempDir();
afterAll(() => tmp.remove());
const write = (name: string, content: string | Buffer): string => {
  const path = join(tmp.dir, name);
  writeFileSync(path, content);
  return path;
};

async function failure(promise: Promise<unknown>): Promise<VectorsInputError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(VectorsInputError);
  return error as VectorsInputError;
}

describe('bad input gets a typed error naming the file and the line', () => {
  it('a line with the wrong number of values', async () => {
    const path = write('short.txt', 'a 1 2 3\nb 4 5 6\nc 7 8\n');
    const error = await failure(readWordVectors(path));
    expect(error).toBeInstanceOf(VectorsFormatError);
    expect(error.code).toBe('ERR_VECTORS_FORMAT');
    expect(error.file).toBe(path);
    expect(error.line).toBe(3);
    expect(error.message).toContain('expected 3 values after the word "c", found 2');
    const long = await failure(readWordVectors(write('long.txt', 'a 1 2\nb 1 2 3 4\n')));
    expect(long.line).toBe(2);
    expect(long.message).toContain('found 4');
  });

  it('an unparsable number names the value position and the token', async () => {
    const path = write('nan.txt', 'a 1 2 3\nb 4 5,5 6\n');
    const error = await failure(readWordVectors(path));
    expect(error).toBeInstanceOf(VectorsFormatError);
    expect([error.line, error.column]).toEqual([2, 2]);
    expect(error.message).toContain('"5,5" is not a number');
    expect(() => parseWordVectors('x 1 zz', { name: 'inline' })).toThrow(/inline, line 1, value 2: "zz" is not a number/);
  });

  it('a word2vec header that disagrees with the lines', async () => {
    const error = await failure(readWordVectors(write('count.vec', '3 2\na 1 2\nb 3 4\n')));
    expect(error.message).toContain('the header declares 3 words, the file holds 2');
    const dim = await failure(readWordVectors(write('dim.vec', '2 3\na 1 2\nb 3 4\n')));
    expect(dim.line).toBe(2);
    const missing = await failure(readWordVectors(write('noheader.vec', 'a 1 2\n'), { format: 'fasttext' }));
    expect(missing.message).toContain('expected a "count dim" header');
  });

  it('a truncated word2vec binary file names the record', async () => {
    const whole = word2vecBinary(
      new Map([
        ['a', new Float32Array([1, 2])],
        ['b', new Float32Array([3, 4])],
        ['c', new Float32Array([5, 6])],
      ]),
      2,
    );
    const error = await failure(readWordVectors(write('cut.bin', whole.subarray(0, whole.length - 5))));
    expect(error).toBeInstanceOf(VectorsFormatError);
    expect(error.line).toBe(3);
  });

  it('a truncated gzip file', async () => {
    const gz = gzipSync(Buffer.from(Array.from({ length: 2000 }, (_, i) => `w${i} ${i} ${i + 0.5}`).join('\n')));
    const path = write('cut.txt.gz', gz.subarray(0, Math.floor(gz.length / 2)));
    const error = await failure(readWordVectors(path));
    expect(error).toBeInstanceOf(VectorsArchiveError);
    expect(error.code).toBe('ERR_VECTORS_ARCHIVE');
    expect(error.file).toBe(path);
    expect(error.message).toMatch(/truncated or corrupt gzip data/);
    expect(error.line).toBeGreaterThan(1);
  });

  it('a truncated zip file, and a zip without the member asked for', async () => {
    const zip = await zipBuffer({ 'glove.6B.50d.txt': 'a 1 2\n'.repeat(5000), 'glove.6B.100d.txt': 'b 1 2 3\n' });
    const cut = await failure(readWordVectors(write('cut.zip', zip.subarray(0, zip.length - 40)), { dim: 50 }));
    expect(cut).toBeInstanceOf(VectorsArchiveError);
    expect(cut.message).toMatch(/cut\.zip: truncated or corrupt zip archive/);
    const whole = write('glove.6B.zip', zip);
    const absent = await failure(readWordVectors(whole, { dim: 300 }));
    expect(absent.message).toContain('no member for 300 dimensions');
    expect(absent.message).toContain('glove.6B.50d.txt, glove.6B.100d.txt');
    const ambiguous = await failure(readWordVectors(whole));
    expect(ambiguous.message).toContain('pass "dim"');
  });

  it('a zip member whose compressed data is damaged names the member', async () => {
    const text = Array.from({ length: 20000 }, (_, i) => `w${i} ${i} ${i * 3}`).join('\n');
    const zip = await zipBuffer({ 'glove.6B.2d.txt': text });
    // Keep the central directory, damage the middle of the deflated data.
    for (let i = 2000; i < 2400; i++) zip[i] ^= 0x5a;
    const error = await failure(readWordVectors(write('damaged.zip', zip), { dim: 2 }));
    expect(error.entry).toBe('glove.6B.2d.txt');
    expect(error.message).toContain('[entry glove.6B.2d.txt]');
  });

  it('a missing file', async () => {
    const error = await failure(readWordVectors(join(tmp.dir, 'nope.txt')));
    expect(error.code).toBe('ERR_VECTORS_READ');
  });
});

describe('nothing is left in the cache when reading fails', () => {
  it('bad line, truncated gzip: the cache directory stays empty', async () => {
    const cacheDir = join(tmp.dir, 'cache');
    const bad = write('bad-cache.txt', 'a 1 2\nb 1\n');
    await failure(loadWordVectors(bad, { cacheDir }));
    const gz = gzipSync(Buffer.from(Array.from({ length: 5000 }, (_, i) => `w${i} ${i} ${i / 7}`).join('\n')));
    await failure(loadWordVectors(write('bad-cache.txt.gz', gz.subarray(0, gz.length >> 1)), { cacheDir }));
    await failure(loadWordVectors(write('bad-cache.zip', (await zipBuffer({ 'v.txt': 'a 1 2\nb x 3\n' })).subarray(0, 30)), { cacheDir }));
    let files: string[] = [];
    try {
      files = readdirSync(cacheDir);
    } catch {
      files = [];
    }
    expect(files).toEqual([]);
  });
});

describe.skipIf(!hasShared)('errors on a damaged copy of the real file', () => {
  it('a truncated copy of glove.6B.100d.top100k.txt.gz', async () => {
    const bytes = readFileSync(GLOVE_GZ);
    const path = write('glove-cut.txt.gz', bytes.subarray(0, 3_000_000));
    const error = await failure(readWordVectors(path));
    expect(error).toBeInstanceOf(VectorsArchiveError);
    expect(error.line).toBeGreaterThan(1000);
  });
});
